package facts

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// piTerm is a way policies name a kind of personal information.
type piTerm struct {
	term      string
	category  string // GB/T 35273-2020 Appendix A
	sensitive bool   // GB/T 35273-2020 Appendix B, PIPL Art. 28
}

// Categories of GB/T 35273-2020 Appendix A (and one the standard lacks).
const (
	catBasic     = "个人基本资料"
	catIdentity  = "个人身份信息"
	catBiometric = "个人生物识别信息"
	catNetworkID = "网络身份标识信息"
	catHealth    = "个人健康生理信息"
	catEduWork   = "个人教育工作信息"
	catProperty  = "个人财产信息"
	catComm      = "个人通信信息"
	catContacts  = "联系人信息"
	catBrowsing  = "个人上网记录"
	catDevice    = "个人常用设备信息"
	catLocation  = "个人位置信息"
	catOther     = "其他信息"
	catMinor     = "未成年人信息" // PIPL Art. 28: under 14, always sensitive
	catVehicle   = "车辆信息"   // not in Appendix A; common in automotive policies
)

// piTerms; each category's terms from specific to general. Sensitive
// follows Appendix B (property, health, biometrics, identity documents,
// communications, contacts, browsing history, whereabouts, precise
// location, lodging, and the "other" list) and PIPL Art. 28.
var piTerms = func() []piTerm {
	groups := []struct {
		category  string
		sensitive bool
		terms     string
	}{
		{catBasic, false, "真实姓名 姓名 昵称 性别 生日 出生日期 年龄 民族 国籍 家庭关系 家庭住址 住址 收货地址 地址 手机号码 手机号 电话号码 联系电话 联系方式 电子邮箱地址 电子邮箱 邮箱地址 头像"},
		{catIdentity, true, "身份证件号码 身份证号码 身份证号 身份证件 身份证信息 身份证 证件号码 证件信息 护照 驾驶证 驾驶执照 行驶证 军官证 工作证 社保卡 居住证 户口簿 实名信息"},
		{catBiometric, true, "人脸识别特征 面部识别特征 人脸信息 人脸图像 面部特征 面部信息 人脸照片 人脸 面容 指纹 声纹 掌纹 耳廓 虹膜 基因 生物识别信息 生物特征"},
		{catNetworkID, false, "账号信息 帐号信息 账号 帐号 用户ID IP地址 个人数字证书 openID 短信验证码 验证码"},
		{catProperty, true, "银行卡号 银行卡信息 银行卡 银行账户 银行账号 支付账号 支付信息 支付记录 账户余额 存款信息 房产信息 信贷记录 征信信息 交易记录 消费记录 交易信息 订单信息 流水记录 虚拟货币 虚拟财产 密码 口令 鉴别信息 收入"},
		{catHealth, true, "健康信息 健康状况 病历 病史 病症 体检报告 体检信息 检验报告 医嘱 用药记录 过敏信息 生育信息 心率 血压 血糖 体重 身高 睡眠 运动数据 步数 健康生理信息 医疗健康信息"},
		{catEduWork, false, "职业 职位 工作单位 学历 学位 教育经历 工作经历 培训记录 成绩单 简历"},
		{catComm, true, "通信记录 通话记录 短信内容 短信 彩信 聊天记录 通信内容 电子邮件内容"},
		{catContacts, true, "通讯录 联系人信息 联系人 好友列表 好友关系 群组列表 群列表"},
		{catBrowsing, true, "网页浏览记录 浏览记录 浏览历史"},
		{catBrowsing, false, "搜索记录 搜索关键词 点击记录 收藏记录 收藏列表 软件使用记录 操作记录 使用记录 日志信息"},
		{catDevice, false, "设备指纹 浏览器指纹 设备信息 设备型号 设备标识符 设备标识 设备识别码 唯一设备识别码 硬件序列号 序列号 MAC地址 IMEI IMSI IDFA IDFV OAID Android ID AndroidID OpenUDID GUID SIM卡 软件列表 应用列表 操作系统版本 网络类型 WiFi信息 BSSID SSID"},
		{catLocation, true, "行踪轨迹 行动轨迹 精准定位信息 精确位置 精准位置 精准地理位置 精确地理位置 经纬度 GPS定位 住宿信息"},
		{catLocation, false, "位置信息 地理位置 定位信息 所在城市 粗略位置"},
		{catOther, true, "宗教信仰 性取向 婚史 婚姻状况 违法犯罪记录 犯罪记录 特定身份"},
		{catMinor, true, "儿童个人信息 未成年人个人信息 未满14周岁 不满十四周岁"},
		{catVehicle, false, "车辆识别代号 VIN码 车架号 车牌号码 车牌号 车辆信息 车辆状态信息 车辆位置 行车记录"},
	}
	var out []piTerm
	for _, g := range groups {
		for _, t := range strings.Fields(g.terms) {
			out = append(out, piTerm{term: t, category: g.category, sensitive: g.sensitive})
		}
	}
	// Longest first, so that 身份证号码 wins over 身份证 at the same place.
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].term) > len(out[j].term) })
	return out
}()

// notCollected marks sentences that say a kind of information is not
// processed, and definitions that only give examples.
var notCollected = regexp.MustCompile(`(不会|不|并不|无需|不需要|不再|从不|绝不)(主动)?(收集|获取|读取|保存|存储|上传|要求|申请|调用|使用|处理)|是指|指的是|[：:]指|定义|举例`)

// definition marks lines that define terms ("个人敏感信息：指…。包括…"):
// their examples are not information the policy collects.
var definition = regexp.MustCompile(`^[^，,。]{1,16}[：:]\s*指|是指|指的是`)

// personalInformation finds the kinds of personal information a policy
// says it processes.
func personalInformation(d *doc) []Fact {
	var out []Fact
	for i, line := range d.lines {
		if hasAny(line, "指", "定义") && definition.MatchString(line) {
			continue
		}
		for _, s := range d.sentences[i] {
			if hasAny(s, "不", "无需", "绝不", "从不", "指", "定义", "举例") && notCollected.MatchString(s) {
				continue
			}
			for _, t := range findTerms(s) {
				out = append(out, Fact{Type: PI, Value: t.term, Category: t.category, Sensitive: boolPtr(t.sensitive),
					Line: i + 1, Context: clip(s)})
			}
		}
	}
	return out
}

// termsByFirst indexes the terms by their first character, longest first.
var termsByFirst = func() map[rune][]piTerm {
	m := map[rune][]piTerm{}
	for _, t := range piTerms { // already longest first
		r, _ := utf8.DecodeRuneInString(t.term)
		m[r] = append(m[r], t)
	}
	return m
}()

// findTerms returns the dictionary terms in s: scanning left to right,
// the longest term starting at each place, without overlaps.
func findTerms(s string) []piTerm {
	var out []piTerm
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		matched := false
		for _, t := range termsByFirst[r] {
			if strings.HasPrefix(s[i:], t.term) {
				out = append(out, t)
				i += len(t.term)
				matched = true
				break
			}
		}
		if !matched {
			i += size
		}
	}
	return out
}

// permissionNames are the system permissions and how policies word them.
var permissionNames = []struct {
	name  string
	words []string
}{
	{"位置", []string{"位置权限", "定位权限", "地理位置权限", "位置信息权限", "定位功能", "位置服务"}},
	{"相机", []string{"相机权限", "摄像头权限", "拍照权限", "相机", "摄像头"}},
	{"麦克风", []string{"麦克风权限", "录音权限", "麦克风", "话筒"}},
	{"通讯录", []string{"通讯录权限", "联系人权限", "通讯录"}},
	{"存储", []string{"存储权限", "读写权限", "存储空间", "SD卡", "外部存储", "文件权限"}},
	{"蓝牙", []string{"蓝牙权限", "蓝牙"}},
	{"电话", []string{"电话权限", "拨打电话", "电话状态", "读取电话", "设备信息权限"}},
	{"相册", []string{"相册权限", "照片权限", "相册", "图片库"}},
	{"日历", []string{"日历权限", "日历"}},
	{"通知", []string{"通知权限", "推送权限", "消息通知", "通知"}},
	{"剪贴板", []string{"剪贴板", "剪切板"}},
	{"短信", []string{"短信权限", "读取短信", "发送短信"}},
	{"传感器", []string{"传感器权限", "传感器", "运动与健身", "身体活动"}},
	{"悬浮窗", []string{"悬浮窗"}},
	{"自启动", []string{"自启动", "关联启动", "后台运行"}},
	{"网络", []string{"网络权限", "访问网络"}},
}

func permissions(d *doc) []Fact {
	var out []Fact
	for i := range d.lines {
		for _, s := range d.sentences[i] {
			if !hasAny(s, "权限", "授权", "开启", "打开", "访问", "调用", "申请", "允许") {
				continue
			}
			for _, p := range permissionNames {
				for _, w := range p.words {
					if strings.Contains(s, w) {
						out = append(out, Fact{Type: Permission, Value: p.name, Line: i + 1, Context: clip(s)})
						break
					}
				}
			}
		}
	}
	return out
}
