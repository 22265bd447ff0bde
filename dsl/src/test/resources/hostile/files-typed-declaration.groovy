// expect: type 'File' is not allowed
File f = null
job('a') { task('t') { sh 'true' } }
