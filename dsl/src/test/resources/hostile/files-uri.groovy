// expect: calling 'toURI' on a String is not allowed
def u = 'file:///etc/passwd'.toURI()
