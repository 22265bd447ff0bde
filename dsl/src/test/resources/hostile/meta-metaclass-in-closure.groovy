// expect: 'metaClass' is not allowed
job('a') {
  task('t') {
    String.metaClass.trim = { -> 'touch CANARY'.execute() }
    sh ' x '.trim()
  }
}
