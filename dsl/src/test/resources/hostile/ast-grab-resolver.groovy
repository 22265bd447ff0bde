// expect: annotation @GrabResolver is not allowed
@GrabResolver(name = 'evil', root = 'http://127.0.0.1:PORT/')
def x = 1
