// expect: calling 'toURI' on text is not allowed
def u = 'file:///etc/passwd'.toURI()
