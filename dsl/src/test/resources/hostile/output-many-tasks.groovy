// expect: more than 1000 tasks
job('a') {
  2000.times { n -> task("t$n") { sh 'true' } }
}
