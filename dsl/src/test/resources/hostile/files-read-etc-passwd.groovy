// expect: creating objects with 'new'
job('a') { task('t') { sh new File('/etc/passwd').text } }
