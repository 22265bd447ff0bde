// expect: calling 'toURL' on a String is not allowed
def body = 'http://127.0.0.1:PORT/'.toURL().text
job('a') { task('t') { sh body } }
