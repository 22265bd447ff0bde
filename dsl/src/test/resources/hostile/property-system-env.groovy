// expect: using the class 'System'
job('a') { task('t') { sh System.getenv().toString() } }
