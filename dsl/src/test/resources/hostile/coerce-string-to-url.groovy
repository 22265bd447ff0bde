// expect: 'as' coercion are not allowed
def u = 'http://127.0.0.1:PORT/' as URL
job('a') { task('t') { sh u.text } }
