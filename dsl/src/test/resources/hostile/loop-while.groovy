// expect: took longer than
job('a') { task('t') { sh 'true' } }
while (true) {
}
