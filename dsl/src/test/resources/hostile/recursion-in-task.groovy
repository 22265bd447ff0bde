// expect: recurses too deeply || more than 1000 tasks
job('a') {
  Closure f
  f = { -> task('t') { f() } }
  f()
}
