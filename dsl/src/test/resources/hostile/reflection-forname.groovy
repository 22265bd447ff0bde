// expect: 'forName' is not allowed
def rt = Class.forName('java.lang.Runtime')
