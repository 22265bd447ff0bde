// expect: using the class 'InetAddress'
def a = java.net.InetAddress.getByName('127.0.0.1')
