/** Sign-in on a holdline server (`serve --users`): the form, who is signed in, and the server's refusals in our words. */
export const auth = {
	'auth.title': '登录',
	'auth.intro': '此服务器上的数据需要登录后才能查看。',
	'auth.name': '用户名',
	'auth.password': '密码',
	'auth.submit': '登录',
	'auth.submitting': '正在登录…',
	'auth.failed': '用户名或密码不正确。',
	'auth.tooMany': '登录失败次数过多，请 {minutes} 分钟后再试。',
	'auth.unavailable': '暂时无法连接服务器，请稍后再试。',
	'auth.signedInAs': '已登录：{name}',
	'auth.signOut': '退出登录',
	'auth.refused.signinRequired': '登录已过期，请重新登录。',
	'auth.refused.forbiddenDataset': '您没有查看此数据集的权限。'
};
