// expect: Jobfile:4:19: two statements on one line need a ';' between them
job('a') {
  task('b') { sh 'x' }
  description 'd' env A: 'b'
}
