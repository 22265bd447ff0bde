// expect: Jobfile:3:27: two statements on one line need a ';' between them
job('a') {
  task('b') { sh 'echo a' sh 'echo b' }
}
