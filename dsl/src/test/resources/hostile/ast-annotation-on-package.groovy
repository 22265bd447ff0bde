// expect: annotation @Grab is not allowed || a package declaration is not allowed
@Grab('org.example:evil:1.0')
package evil
job('a') { task('t') { sh 'true' } }
