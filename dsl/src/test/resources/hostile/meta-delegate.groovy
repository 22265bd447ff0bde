// expect: 'delegate' is not allowed
job('a') {
  task('t') {
    def d = delegate
  }
}
