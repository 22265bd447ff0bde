// expect: 'class' is not allowed
def m = [:]
def c = m.class.forName('java.lang.Runtime')
