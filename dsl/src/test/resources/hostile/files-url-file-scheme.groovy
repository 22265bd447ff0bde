// expect: calling 'toURL' on a String is not allowed
job('a') { task('t') { sh 'file:///etc/passwd'.toURL().text } }
