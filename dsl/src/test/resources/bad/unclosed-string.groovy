// expect: Jobfile:3:18: the string opened here with ' is never closed
job('a') {
  task('b') { sh 'echo x
  }
}
