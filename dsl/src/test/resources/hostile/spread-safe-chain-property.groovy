// expect: 'classLoader' is not allowed || 'class' is not allowed
def l = [:]?.class?.classLoader
