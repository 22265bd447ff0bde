// expect: the spread operator (*:map) is not allowed
def opts = [wait: true]
job('a') { task('t') { trigger(*:opts, 'b') } }
