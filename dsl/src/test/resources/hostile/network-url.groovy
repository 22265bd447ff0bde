// expect: calling 'toURL' on text is not allowed
def body = 'http://127.0.0.1:PORT/'.toURL().text
job('a') { task('t') { sh body } }
