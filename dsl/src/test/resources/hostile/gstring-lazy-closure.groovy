// expect: inside a double-quoted string
def g = "${-> 'touch CANARY'.execute()}"
job('a') { task('t') { sh g } }
