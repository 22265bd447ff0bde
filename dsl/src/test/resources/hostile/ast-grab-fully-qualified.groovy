// expect: annotation @Grab is not allowed
@groovy.lang.Grab(group = 'org.example', module = 'evil', version = '1.0')
def x = 1
job('a') { task('t') { sh 'true' } }
