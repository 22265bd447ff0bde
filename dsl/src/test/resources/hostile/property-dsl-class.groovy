// expect: 'class' is not allowed
job('a') {
  task('t') { sh it.class.name }
}
