// expect: No such property: protectionDomain || reading '.protectionDomain' of
def s = 'x'
def where = s.protectionDomain.codeSource.location
