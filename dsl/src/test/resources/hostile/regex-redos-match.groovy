// expect: regular expressions (=~, ==~) are not allowed
def evil = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' ==~ '(a+)+$'
