// expect: regular expressions (=~, ==~) are not allowed
def m = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' =~ /(a+)+$/
