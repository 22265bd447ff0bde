// expect: calling 'toURL' on text is not allowed
job('a') { task('t') { sh 'file:///etc/passwd'.toURL().text } }
