// expect: 'getProperty' is not allowed
def rt = 'x'.getProperty('class')
