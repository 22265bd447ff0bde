// expect: MiB of text
job('a') {
  task('t') {
    while (true) { sh 'echo spam' }
  }
}
