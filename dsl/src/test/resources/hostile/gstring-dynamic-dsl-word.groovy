// expect: computed at run time
job('a') {
  "${'ta' + 'sk'}"('t') { sh 'true' }
}
