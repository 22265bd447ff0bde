// expect: split takes a plain separator
def parts = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.split('(a+)+b')
