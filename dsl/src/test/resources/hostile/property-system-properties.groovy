// expect: 'properties' is not allowed || using the class 'System'
job('a') { task('t') { sh System.properties['user.home'] } }
