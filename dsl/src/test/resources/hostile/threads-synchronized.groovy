// expect: synchronized is not allowed
synchronized ('lock') {
  job('a') { task('t') { sh 'true' } }
}
