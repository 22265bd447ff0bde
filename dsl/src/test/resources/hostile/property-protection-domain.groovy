// expect: 'protectionDomain' cannot be read from || reading '.protectionDomain' of
def s = 'x'
def where = s.protectionDomain.codeSource.location
