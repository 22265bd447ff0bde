// expect: method pointers (.&) are not allowed
job('a') {
  task('t') { def t = delegate.&trigger; t('b') }
}
