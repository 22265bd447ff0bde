// expect: 'as' coercion are not allowed
def c = 'java.lang.Runtime' as Class
