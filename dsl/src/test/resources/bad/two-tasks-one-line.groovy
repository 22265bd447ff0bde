// expect: Jobfile:3:24: two statements on one line need a ';' between them
job('a') {
  task('a') { sh 'x' } task('b') { sh 'y' }
}
