// expect: computed at run time
def p = 'cla' + 'ss'
def c = [:]."$p"
