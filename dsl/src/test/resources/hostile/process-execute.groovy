// expect: 'execute' is not allowed
job('a') {
  task('t') { sh 'touch CANARY'.execute().text }
}
