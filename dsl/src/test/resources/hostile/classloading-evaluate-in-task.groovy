// expect: 'evaluate' is not allowed
job('a') {
  task('t') { evaluate('"touch CANARY".execute()') }
}
