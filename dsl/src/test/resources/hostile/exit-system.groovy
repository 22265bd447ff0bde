// expect: using the class 'System'
job('a') {
  task('t') { sh 'true' }
}
System.exit(3)
