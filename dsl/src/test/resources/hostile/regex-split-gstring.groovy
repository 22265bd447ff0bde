// expect: split takes a plain separator
def sep = '(a+)+b'
def parts = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.split("$sep")
