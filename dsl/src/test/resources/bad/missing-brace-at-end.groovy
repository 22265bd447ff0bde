// expect: Jobfile:2:10: '{' opened at 2:10 is never closed
job('a') {
  task('b') { sh 'x' }
