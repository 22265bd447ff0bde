// expect: wrong arguments for 'sh' || 'as' coercion are not allowed
job('a') {
  task('t') { sh(['touch', 'CANARY'] as String[]) }
}
