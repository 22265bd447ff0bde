// expect: took longer than
job('a') {
  task('t') {
    while (true) { }
  }
}
