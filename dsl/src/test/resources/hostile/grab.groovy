// expect: annotation @Grab is not allowed
@Grab('org.example:evil:1.0')
import org.example.Evil
job('a') { task('t') { sh 'true' } }
