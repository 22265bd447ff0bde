// expect: Jobfile:3:13: '{' opened at 3:13 is never closed
job('a') {
  task('b') {
    sh 'x'
  task('c') { sh 'y' }
}
