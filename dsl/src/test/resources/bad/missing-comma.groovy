// expect: Jobfile:3:33: 'b' follows needs(…) on the same line: values need a ',' between them, and two statements on one line need a ';' between them
job('a') {
  task('b') { sh 'x'; needs 'a' 'b' }
  task('a') { sh 'y' }
}
