<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AssessmentPage</name>
    <message>
        <source>Grade %1 for %2</source>
        <translation>评定 %1 的 %2 考核等次</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>考核等次</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>评定理由</translation>
    </message>
    <message>
        <source>Compute</source>
        <translation>计算</translation>
    </message>
    <message>
        <source>Record the grade…</source>
        <translation>评定等次…</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>考核周期</translation>
    </message>
    <message>
        <source>Worker</source>
        <translation>网格员</translation>
    </message>
    <message>
        <source>Grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Suggested</source>
        <translation>建议等次</translation>
    </message>
    <message>
        <source>Final grade</source>
        <translation>评定等次</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>考核指标</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>完成率</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>The township station could not be asked; this is your own sheet, measured from this laptop&apos;s records.</source>
        <translation>无法向乡镇站查询：以下是按本机记录计算的本人考核。</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>Reporting quota: urban grids at least one item a day, rural grids at least one a week. Patrol target: 3 hours a day.</source>
        <translation>上报任务：城市网格每天至少上报1条，农村网格每周至少1条。巡查要求：每天3小时。</translation>
    </message>
    <message>
        <source>Overdue cases</source>
        <translation>超期事件</translation>
    </message>
    <message>
        <source>Patrol today</source>
        <translation>今日巡查</translation>
    </message>
    <message>
        <source>Visits overdue</source>
        <translation>走访超期</translation>
    </message>
    <message>
        <source>Task items overdue</source>
        <translation>事务超期</translation>
    </message>
    <message>
        <source>Changes to send</source>
        <translation>待同步</translation>
    </message>
    <message>
        <source>Changes set aside</source>
        <translation>已搁置</translation>
    </message>
    <message>
        <source>Five-colour lights:</source>
        <translation>五色亮灯：</translation>
    </message>
    <message>
        <source>Open cases by light</source>
        <translation>在办事件亮灯</translation>
    </message>
    <message>
        <source>Cases by status</source>
        <translation>事件状态</translation>
    </message>
    <message>
        <source>Cases reported by category, last 8 weeks</source>
        <translation>近 8 周上报事件（按类别）</translation>
    </message>
    <message>
        <source>Residents by residence and key group</source>
        <translation>人口：户籍类别与重点人群</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <source>The figures cannot be computed: %1</source>
        <translation>无法统计：%1</translation>
    </message>
    <message>
        <source>all grids</source>
        <translation>全部网格</translation>
    </message>
    <message>
        <source>Today&apos;s work: %1 (%2 grids)</source>
        <translation>今日工作：%1（%2 个网格）</translation>
    </message>
    <message>
        <source>no lights</source>
        <translation>无亮灯</translation>
    </message>
    <message>
        <source>%1 / %2 h</source>
        <translation>%1 / %2 小时</translation>
    </message>
    <message>
        <source>%1 h this week</source>
        <translation>本周 %1 小时</translation>
    </message>
    <message>
        <source>%1 of %2 grids met (rural: a week, urban: a day)</source>
        <translation>%2 个网格中 %1 个已完成（农村按周、城市按日）</translation>
    </message>
    <message>
        <source>click to sync now</source>
        <translation>点击立即同步</translation>
    </message>
    <message>
        <source>refused by the station</source>
        <translation>乡镇站拒收，待处理</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>%1 due soon</source>
        <translation>%1 人即将到期</translation>
    </message>
    <message>
        <source>%1 still to do</source>
        <translation>%1 项待完成</translation>
    </message>
    <message>
        <source> · on patrol now</source>
        <translation> · 正在巡查</translation>
    </message>
    <message>
        <source>Households</source>
        <translation>住户</translation>
    </message>
    <message>
        <source>Residents</source>
        <translation>人口</translation>
    </message>
    <message>
        <source>Buildings</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Open incidents</source>
        <translation>未办结事件</translation>
    </message>
    <message>
        <source>Overdue incidents</source>
        <translation>超期事件</translation>
    </message>
    <message>
        <source>Patrol hours this week</source>
        <translation>本周巡查时长（小时）</translation>
    </message>
    <message>
        <source>Reporting quota</source>
        <translation>上报任务</translation>
    </message>
    <message>
        <source>today</source>
        <translation>今日</translation>
    </message>
    <message>
        <source>this week</source>
        <translation>本周</translation>
    </message>
    <message>
        <source>met</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>not met</source>
        <translation>未完成</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
</context>
<context>
    <name>DateEditors</name>
    <message>
        <source>(not set)</source>
        <translation>（未填）</translation>
    </message>
</context>
<context>
    <name>DefencePage</name>
    <message>
        <source>Ten-household group</source>
        <translation>十户联防组</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>组名</translation>
    </message>
    <message>
        <source>Leader</source>
        <translation>联防长</translation>
    </message>
    <message>
        <source>Leader&apos;s phone</source>
        <translation>联防长电话</translation>
    </message>
    <message>
        <source>Member households</source>
        <translation>成员户</translation>
    </message>
    <message>
        <source>Alert for %1</source>
        <translation>%1：上报警情</translation>
    </message>
    <message>
        <source>Record for %1</source>
        <translation>%1：值守或演练记录</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Title of the case</source>
        <translation>事件标题</translation>
    </message>
    <message>
        <source>Participants</source>
        <translation>参加人员</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>情况说明</translation>
    </message>
    <message>
        <source>New group…</source>
        <translation>新建联防组…</translation>
    </message>
    <message>
        <source>Members…</source>
        <translation>编辑成员…</translation>
    </message>
    <message>
        <source>Watch or drill…</source>
        <translation>值守/演练…</translation>
    </message>
    <message>
        <source>Alert…</source>
        <translation>上报警情…</translation>
    </message>
    <message>
        <source>Print contact sheet…</source>
        <translation>打印联系表…</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>联防组</translation>
    </message>
    <message>
        <source>Households</source>
        <translation>户数</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>户主</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>转办事件</translation>
    </message>
    <message>
        <source>%1 groups · %2 of %3 households · coverage %4</source>
        <translation>%1 个联防组 · %3 户中 %2 户入组 · 覆盖率 %4</translation>
    </message>
    <message>
        <source>Choose a group in the list first.</source>
        <translation>请先在列表中选择一个联防组。</translation>
    </message>
    <message>
        <source>Print contact sheet</source>
        <translation>打印联系表</translation>
    </message>
</context>
<context>
    <name>Editors</name>
    <message>
        <source>Protected key groups are hidden from this account; they are kept as they are.</source>
        <translation>受保护的重点人群标签对本账号隐藏，保存时保持原样。</translation>
    </message>
    <message>
        <source>Type the head&apos;s name, pinyin or address</source>
        <translation>输入户主姓名、拼音或地址查找</translation>
    </message>
    <message>
        <source>(not set)</source>
        <translation>（未填）</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>One household, one form (一户一表)</source>
        <translation>一户一表</translation>
    </message>
    <message>
        <source>Residents</source>
        <translation>人口</translation>
    </message>
    <message>
        <source>Households</source>
        <translation>住户</translation>
    </message>
    <message>
        <source>Buildings</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Organisations</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>What</source>
        <translation>导出内容</translation>
    </message>
    <message>
        <source>All grids</source>
        <translation>全部网格</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Include the protected key groups</source>
        <translation>包含受保护的重点人群标签</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>File (.xlsx, .csv or .pdf)</source>
        <translation>文件（.xlsx、.csv 或 .pdf）</translation>
    </message>
    <message>
        <source>Spreadsheets (*.xlsx *.csv);;PDF (*.pdf)</source>
        <translation>表格文件 (*.xlsx *.csv);;PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Choose a file ending in %1.</source>
        <translation>请选择以 %1 结尾的文件。</translation>
    </message>
    <message>
        <source>Wrote %1 records to %2.</source>
        <translation>已将 %1 条记录写入 %2。</translation>
    </message>
    <message>
        <source>The file could not be written: %1</source>
        <translation>文件无法写入：%1</translation>
    </message>
</context>
<context>
    <name>Fields</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>名称</translation>
    </message>
</context>
<context>
    <name>HazardDialog</name>
    <message>
        <source>Hazard found on the patrol</source>
        <translation>巡查发现隐患</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>上报</translation>
    </message>
</context>
<context>
    <name>HierarchyTree</name>
    <message>
        <source>All grids</source>
        <translation>全部网格</translation>
    </message>
</context>
<context>
    <name>HouseholdForm</name>
    <message>
        <source>Members</source>
        <translation>家庭成员</translation>
    </message>
    <message>
        <source>Add member</source>
        <translation>添加成员</translation>
    </message>
    <message>
        <source>Remove member</source>
        <translation>删除成员</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Member %1: %2</source>
        <translation>第 %1 位成员：%2</translation>
    </message>
    <message>
        <source>Edit household</source>
        <translation>编辑住户</translation>
    </message>
    <message>
        <source>New household</source>
        <translation>新建住户</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Residents</source>
        <translation>人口</translation>
    </message>
    <message>
        <source>Households</source>
        <translation>住户</translation>
    </message>
    <message>
        <source>Buildings</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Organisations</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Household number</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Head of household&apos;s name</source>
        <translation>户主姓名</translation>
    </message>
    <message>
        <source>Current address</source>
        <translation>现住址</translation>
    </message>
    <message>
        <source>Registered address</source>
        <translation>户籍地址</translation>
    </message>
    <message>
        <source>Head of household? (yes/no)</source>
        <translation>是否户主（是/否）</translation>
    </message>
    <message>
        <source>Relation to head (only the heads&apos; rows are households)</source>
        <translation>与户主关系（只有户主的行作为户）</translation>
    </message>
    <message>
        <source>%1? (yes adds the tag)</source>
        <translation>是否%1（“是”则加此标签）</translation>
    </message>
    <message>
        <source>Import ledger</source>
        <translation>导入台账</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>上一步</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>File (.xlsx, .xls, .ods or .csv)</source>
        <translation>文件（.xlsx、.xls、.ods 或 .csv）</translation>
    </message>
    <message>
        <source>Records in the file</source>
        <translation>文件中的记录</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>所属网格</translation>
    </message>
    <message>
        <source>Update the existing record (merge)</source>
        <translation>更新已有记录（合并）</translation>
    </message>
    <message>
        <source>Leave the existing record as it is (skip)</source>
        <translation>保留已有记录不变（跳过）</translation>
    </message>
    <message>
        <source>A record already in the ledger</source>
        <translation>台账中已有的记录</translation>
    </message>
    <message>
        <source>Left empty and marked 地址待补充</source>
        <translation>留空并标记“地址待补充”</translation>
    </message>
    <message>
        <source>Address of households the file gives none for</source>
        <translation>文件中没有地址的户使用的地址</translation>
    </message>
    <message>
        <source>Check which field each column goes to; correct any that were guessed wrong.</source>
        <translation>请核对每一列对应的字段，猜错的请改正。</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>First value</source>
        <translation>第一行的值</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Load mapping…</source>
        <translation>读取列对应…</translation>
    </message>
    <message>
        <source>Save mapping…</source>
        <translation>保存列对应…</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>No header row (column names such as 姓名, 身份证号) was found in this file.</source>
        <translation>在此文件中找不到表头行（如“姓名”“身份证号”等列名）。</translation>
    </message>
    <message>
        <source>This file cannot be read as a table: %1</source>
        <translation>无法把此文件读成表格：%1</translation>
    </message>
    <message>
        <source>No column is mapped to a field: check the mapping.</source>
        <translation>没有任何列对应到字段，请检查列对应。</translation>
    </message>
    <message>
        <source>The import failed and nothing was written: %1</source>
        <translation>导入失败，未写入任何数据：%1</translation>
    </message>
    <message>
        <source>Choose a ledger</source>
        <translation>选择台账文件</translation>
    </message>
    <message>
        <source>Spreadsheets (*.xlsx *.xls *.ods *.csv)</source>
        <translation>表格文件 (*.xlsx *.xls *.ods *.csv)</translation>
    </message>
    <message>
        <source>Choose an existing .xlsx, .xls, .ods or .csv file.</source>
        <translation>请选择一个已有的 .xlsx、.xls、.ods 或 .csv 文件。</translation>
    </message>
    <message>
        <source>Sheet read: %1 (of %2: %3).</source>
        <translation>读取的工作表：%1（共 %2 个：%3）。</translation>
    </message>
    <message>
        <source>Header rows: %1–%2.</source>
        <translation>表头在第 %1–%2 行。</translation>
    </message>
    <message>
        <source>Header row: %1.</source>
        <translation>表头在第 %1 行。</translation>
    </message>
    <message>
        <source>%1 (yes/no)</source>
        <translation>%1（是/否列）</translation>
    </message>
    <message>
        <source>Not imported: %1</source>
        <translation>未导入的列：%1</translation>
    </message>
    <message>
        <source>No column gives: %1</source>
        <translation>没有任何列对应到：%1</translation>
    </message>
    <message>
        <source>— not imported —</source>
        <translation>— 不导入 —</translation>
    </message>
    <message>
        <source>Load mapping</source>
        <translation>读取列对应</translation>
    </message>
    <message>
        <source>Mappings (*.json)</source>
        <translation>列对应文件 (*.json)</translation>
    </message>
    <message>
        <source>This mapping cannot be used: %1</source>
        <translation>此列对应文件无法使用：%1</translation>
    </message>
    <message>
        <source>Save mapping</source>
        <translation>保存列对应</translation>
    </message>
    <message>
        <source>No column gives the %1: the records imported would have none. Import anyway? (No: go back and choose the column.)</source>
        <translation>没有任何列对应到%1：导入的记录将缺少这些信息。仍要导入吗？（选“否”返回并指定该列。）</translation>
    </message>
    <message>
        <source>To do: %1</source>
        <translation>将要：%1</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>处理</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>new</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>未变</translation>
    </message>
    <message>
        <source>skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Imported: %1</source>
        <translation>导入完成：%1</translation>
    </message>
    <message>
        <source>%1 rows were not imported. Fix them in %2 and import that file again.</source>
        <translation>有 %1 行未导入。请在 %2 中改正后再导入该文件。</translation>
    </message>
</context>
<context>
    <name>IncidentPage</name>
    <message>
        <source>My inbox only</source>
        <translation>只看我的待办</translation>
    </message>
    <message>
        <source>All lights</source>
        <translation>全部亮灯</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已超期</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Superseded</source>
        <translation>已被取代（原因）</translation>
    </message>
    <message>
        <source>Department or person (for a dispatch)</source>
        <translation>承办单位或人员（分办时填写）</translation>
    </message>
    <message>
        <source>What was done, instructions, result</source>
        <translation>办理情况、意见或结果</translation>
    </message>
    <message>
        <source>No mediation</source>
        <translation>未调解</translation>
    </message>
    <message>
        <source>Record step</source>
        <translation>记录环节</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>承办</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Mediation</source>
        <translation>调解结果</translation>
    </message>
    <message>
        <source>Add photo…</source>
        <translation>添加照片…</translation>
    </message>
    <message>
        <source>%1 photos</source>
        <translation>%1 张照片</translation>
    </message>
    <message>
        <source>The station&apos;s setting %1 cannot be used: the defaults apply until the township corrects it.</source>
        <translation>乡镇站的设置“%1”无法使用：在乡镇更正之前按默认值计算。</translation>
    </message>
    <message>
        <source>Status: %1</source>
        <translation>状态：%1</translation>
    </message>
    <message>
        <source>Level: %1</source>
        <translation>层级：%1</translation>
    </message>
    <message>
        <source>Held by: %1</source>
        <translation>责任单位：%1</translation>
    </message>
    <message>
        <source>Due: %1</source>
        <translation>办结时限：%1</translation>
    </message>
    <message>
        <source>Choose a photo of the case</source>
        <translation>选择事件现场照片</translation>
    </message>
</context>
<context>
    <name>Lights</name>
    <message>
        <source>due within a day</source>
        <translation>一天内到期</translation>
    </message>
    <message>
        <source>overdue up to a day</source>
        <translation>超期一天以内</translation>
    </message>
    <message>
        <source>overdue up to three days</source>
        <translation>超期一至三天</translation>
    </message>
    <message>
        <source>overdue more than three days</source>
        <translation>超期三天以上</translation>
    </message>
    <message>
        <source>supervised or returned</source>
        <translation>督办或退回</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 天 %2 小时</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>还剩 %1</translation>
    </message>
    <message>
        <source>overdue %1</source>
        <translation>已超期 %1</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Welcome to Gridbook</source>
        <translation>欢迎使用网格台账</translation>
    </message>
    <message>
        <source>Log in to the township station</source>
        <translation>登录乡镇站</translation>
    </message>
    <message>
        <source>Gridbook keeps everything on this computer and works without a connection. Log in to your township station to sync, or work offline now and log in later: records made before the login sync after it.</source>
        <translation>网格台账把所有数据保存在本机，没有网络也能使用。登录乡镇站后即可同步；也可以先离线工作，以后再登录——登录前录入的记录会在登录后同步。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Station address</source>
        <translation>乡镇站地址</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Certificate file</source>
        <translation>证书文件</translation>
    </message>
    <message>
        <source>Fill this empty ledger with a demo village to try things out</source>
        <translation>在空台账中生成一个演示村，先试用一下</translation>
    </message>
    <message>
        <source>Work offline now, log in later</source>
        <translation>先离线工作，以后再登录</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Only if the township gave you one (.pem, .crt)</source>
        <translation>仅在乡镇网格中心提供了证书时填写（.pem、.crt）</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>The township station&apos;s certificate file</source>
        <translation>乡镇站的证书文件</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>证书 (*.pem *.crt *.cer);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Fill in the station address, user and password.</source>
        <translation>请填写乡镇站地址、用户名和密码。</translation>
    </message>
    <message>
        <source>A demo village never leaves this computer: untick the demo to log in, or work offline to try it.</source>
        <translation>演示村只留在本机，不会进入乡镇站：要登录请取消勾选演示村；想试用演示村请选择先离线工作。</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Dashboard</source>
        <translation>工作台</translation>
    </message>
    <message>
        <source>Households</source>
        <translation>住户</translation>
    </message>
    <message>
        <source>Residents</source>
        <translation>人口</translation>
    </message>
    <message>
        <source>Buildings</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Organisations</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Patrols</source>
        <translation>巡查</translation>
    </message>
    <message>
        <source>Gridbook · grid ledger</source>
        <translation>网格台账 Gridbook</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>统计报表</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Import ledger…</source>
        <translation>导入台账…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>&amp;Records</source>
        <translation>记录(&amp;R)</translation>
    </message>
    <message>
        <source>New record</source>
        <translation>新建记录</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>&amp;Sync</source>
        <translation>同步(&amp;S)</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Log in to the township station…</source>
        <translation>登录乡镇站…</translation>
    </message>
    <message>
        <source>Switch account…</source>
        <translation>切换账号…</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Changes set aside…</source>
        <translation>搁置的变更…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>About Gridbook</source>
        <translation>关于网格台账</translation>
    </message>
    <message>
        <source>Township desk</source>
        <translation>乡镇工作台</translation>
    </message>
    <message>
        <source>Gridbook: the offline-first ledger of a grid worker.</source>
        <translation>网格台账：网格员的离线优先工作台账。</translation>
    </message>
    <message>
        <source>Data file: %1</source>
        <translation>数据文件：%1</translation>
    </message>
    <message>
        <source>Device: %1</source>
        <translation>设备编号：%1</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>走访</translation>
    </message>
    <message>
        <source>Task list</source>
        <translation>事务清单</translation>
    </message>
    <message>
        <source>Joint defence</source>
        <translation>十户联防</translation>
    </message>
    <message>
        <source>Assessment</source>
        <translation>考核</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>地图</translation>
    </message>
</context>
<context>
    <name>MapPage</name>
    <message>
        <source>Base map…</source>
        <translation>离线底图…</translation>
    </message>
    <message>
        <source>Place a new building</source>
        <translation>在地图上放置新房屋</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>户主</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>No building of this grid has coordinates yet, and there is no base map: choose one, or enter a building&apos;s latitude and longitude in its form.</source>
        <translation>本网格的房屋尚无坐标，也没有离线底图：请选择底图，或在房屋表单中填写经纬度。</translation>
    </message>
    <message>
        <source>%1 buildings on the map · %2 without coordinates</source>
        <translation>地图上 %1 栋房屋 · %2 栋没有坐标</translation>
    </message>
    <message>
        <source>base map: %1</source>
        <translation>底图：%1</translation>
    </message>
    <message>
        <source>no base map: coordinate canvas</source>
        <translation>无底图：坐标画布</translation>
    </message>
    <message>
        <source>Households of %1</source>
        <translation>%1 的住户</translation>
    </message>
    <message>
        <source>Click where the new building stands.</source>
        <translation>请在地图上点击新房屋所在的位置。</translation>
    </message>
    <message>
        <source>Base map</source>
        <translation>离线底图</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <source>Enter the recovery passphrase</source>
        <translation>输入恢复口令</translation>
    </message>
    <message>
        <source>Gridbook&apos;s ledger on this computer is encrypted, and this computer&apos;s credential store holds no key for it: perhaps you signed in with another Windows account, or the computer was restored or replaced. Enter the recovery passphrase that was set when Gridbook was first used.</source>
        <translation>这台电脑上的台账是加密的，但这台电脑的凭据管理器里没有它的密钥：可能换了 Windows 账户登录，或者电脑重装、恢复、换新了。请输入第一次使用网格台账时设置的恢复口令。</translation>
    </message>
    <message>
        <source>Open the ledger</source>
        <translation>打开台账</translation>
    </message>
    <message>
        <source>Set a recovery passphrase</source>
        <translation>设置恢复口令</translation>
    </message>
    <message>
        <source>Gridbook keeps the households, residents, ID numbers and phone numbers of your grid encrypted on this computer: if the laptop is lost or stolen, nobody can read them. You do not type the key every day, Windows keeps it for your account. You need the recovery passphrase only to open the ledger under another Windows account or on a restored or new computer.</source>
        <translation>网格台账把本网格的住户、人口、身份证号和电话加密保存在这台电脑上：电脑丢了或被偷了，别人也看不到。平时不用输入密钥，Windows 会替您的账户保管。只有换了 Windows 账户、电脑重装恢复或换新电脑时，才要用恢复口令打开台账。</translation>
    </message>
    <message>
        <source>The ledger already on this computer will be encrypted now: it is backed up first, and every record is kept.</source>
        <translation>这台电脑上已有的台账现在就会加密：先备份，再加密，记录一条也不会少。</translation>
    </message>
    <message>
        <source>Set the passphrase and continue</source>
        <translation>设置口令并继续</translation>
    </message>
    <message>
        <source>Write the passphrase down and keep it apart from the laptop. It cannot be recovered: if it is forgotten and this computer&apos;s key is lost, nobody, not even support, can open the ledger again. Records already synced stay at the township station.</source>
        <translation>请把恢复口令写下来，和电脑分开保管。口令无法找回：忘了口令、这台电脑的密钥又丢了，任何人（包括技术支持）都再也打不开台账。已经同步的记录在乡镇站还有一份。</translation>
    </message>
    <message>
        <source>Recovery passphrase</source>
        <translation>恢复口令</translation>
    </message>
    <message>
        <source>Once more</source>
        <translation>再输一遍</translation>
    </message>
    <message>
        <source>At least %1 characters; Chinese characters are fine</source>
        <translation>至少 %1 个字，可以用汉字</translation>
    </message>
    <message>
        <source>Show what I type</source>
        <translation>显示输入的口令</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>The recovery passphrase needs at least %1 characters.</source>
        <translation>恢复口令至少要 %1 个字。</translation>
    </message>
    <message>
        <source>The two entries differ: type the same passphrase twice.</source>
        <translation>两次输入不一样：请输入同一个口令两遍。</translation>
    </message>
    <message>
        <source>Enter the recovery passphrase.</source>
        <translation>请输入恢复口令。</translation>
    </message>
    <message>
        <source>Encrypting the ledger: this can take a minute for a large one…</source>
        <translation>正在加密台账，台账大的话要一两分钟…</translation>
    </message>
    <message>
        <source>Opening the ledger…</source>
        <translation>正在打开台账…</translation>
    </message>
    <message>
        <source>The ledger could not be opened: %1</source>
        <translation>台账打不开：%1</translation>
    </message>
</context>
<context>
    <name>PatrolPage</name>
    <message>
        <source>Start patrol</source>
        <translation>开始巡查</translation>
    </message>
    <message>
        <source>End patrol</source>
        <translation>结束巡查</translation>
    </message>
    <message>
        <source>Report a hazard…</source>
        <translation>上报隐患…</translation>
    </message>
    <message>
        <source>Hazards found</source>
        <translation>发现的隐患</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Reported</source>
        <translation>上报时间</translation>
    </message>
    <message>
        <source>met</source>
        <translation>已达标</translation>
    </message>
    <message>
        <source>not met</source>
        <translation>未达标</translation>
    </message>
    <message>
        <source>Today %1 of %2 hours · %3</source>
        <translation>今日巡查 %1 / %2 小时 · %3</translation>
    </message>
    <message>
        <source>No patrol running</source>
        <translation>当前没有巡查</translation>
    </message>
    <message>
        <source>On patrol %1</source>
        <translation>巡查中 %1</translation>
    </message>
    <message>
        <source>Start a patrol or choose one in the list first.</source>
        <translation>请先开始巡查，或在列表中选择一次巡查。</translation>
    </message>
</context>
<context>
    <name>PersonForm</name>
    <message>
        <source>Visits</source>
        <translation>走访</translation>
    </message>
</context>
<context>
    <name>PhotoStrip</name>
    <message>
        <source>Photo</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Not on this computer yet: double-click to fetch it from the station</source>
        <translation>照片还不在本机：双击从乡镇站下载</translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation>正在打开…</translation>
    </message>
    <message>
        <source>Fetching the photo from the station…</source>
        <translation>正在从乡镇站下载照片…</translation>
    </message>
    <message>
        <source>This photo is not on this computer. Log in to the station to fetch it.</source>
        <translation>这张照片不在本机。登录乡镇站后即可下载查看。</translation>
    </message>
    <message>
        <source>The photo cannot be shown.</source>
        <translation>无法显示这张照片。</translation>
    </message>
</context>
<context>
    <name>PrintPreview</name>
    <message>
        <source>Overdue cases by light</source>
        <translation>超期事件亮灯</translation>
    </message>
    <message>
        <source>Case sheet</source>
        <translation>事件办理单</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>办理环节</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查看(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>RecordForm</name>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>编辑%1</translation>
    </message>
    <message>
        <source>New %1</source>
        <translation>新建%1</translation>
    </message>
    <message>
        <source>%1: changed on another device to “%2” while this form was open; your “%3” is kept.</source>
        <translation>%1：在您编辑此表单期间，另一台设备已改为“%2”；已保留您填写的“%3”。</translation>
    </message>
    <message>
        <source>The other value is kept at the township station as a conflict for review.</source>
        <translation>另一个值作为冲突保存在乡镇站，供审核处理。</translation>
    </message>
    <message>
        <source>Changed on another device</source>
        <translation>另一台设备也修改了此记录</translation>
    </message>
    <message>
        <source>Save the changes before closing?</source>
        <translation>关闭前保存修改吗？</translation>
    </message>
</context>
<context>
    <name>RecordPage</name>
    <message>
        <source>Print household form…</source>
        <translation>打印一户一表…</translation>
    </message>
    <message>
        <source>Print case sheet…</source>
        <translation>打印办理单…</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Search: name, pinyin initials, ID number, phone, address</source>
        <translation>查找：姓名、拼音首字母、身份证号、电话、地址</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>All people</source>
        <translation>全部人群</translation>
    </message>
    <message>
        <source>%1 records</source>
        <translation>共 %1 条</translation>
    </message>
    <message>
        <source>Delete %1? It is kept as deleted and the deletion syncs to the township.</source>
        <translation>删除“%1”？记录将标记为已删除，删除会同步到乡镇站。</translation>
    </message>
    <message>
        <source>Delete the household of %1 and its %2 members? They are kept as deleted and the deletion syncs to the township.</source>
        <translation>删除户主为“%1”的这一户及其 %2 名成员？记录将标记为已删除，删除会同步到乡镇站。</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
</context>
<context>
    <name>RecordTable</name>
    <message>
        <source>closed</source>
        <translation>已销号</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>亮灯</translation>
    </message>
</context>
<context>
    <name>ReportPage</name>
    <message>
        <source>Compute</source>
        <translation>统计</translation>
    </message>
    <message>
        <source>Export XLSX…</source>
        <translation>导出 XLSX…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Print to PDF…</source>
        <translation>打印为 PDF…</translation>
    </message>
    <message>
        <source>Print preview…</source>
        <translation>打印预览…</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>All my units</source>
        <translation>我负责的全部单位</translation>
    </message>
    <message>
        <source>Save the report</source>
        <translation>保存报表</translation>
    </message>
    <message>
        <source>all units</source>
        <translation>全部单位</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报表</translation>
    </message>
</context>
<context>
    <name>SetAsideDialog</name>
    <message>
        <source>Changes set aside</source>
        <translation>搁置的变更</translation>
    </message>
    <message>
        <source>The township station did not accept these changes. Open a record to correct it and save it again, or discard a change to put the record back as the station has it.</source>
        <translation>乡镇站没有接受以下变更。可以打开记录改正后再次保存，或者放弃变更，让记录恢复为乡镇站上的样子。</translation>
    </message>
    <message>
        <source>Record type</source>
        <translation>记录类型</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Open record to fix…</source>
        <translation>打开记录改正…</translation>
    </message>
    <message>
        <source>Discard change…</source>
        <translation>放弃变更…</translation>
    </message>
    <message>
        <source>Discard %1 refused changes? They will never be sent, and each record goes back to what the township station holds (a record the station never accepted is removed from this computer).</source>
        <translation>放弃这 %1 条被退回的变更吗？它们将不再发送，相关记录恢复为乡镇站上的内容（乡镇站从未接受过的记录会从本机删除）。</translation>
    </message>
</context>
<context>
    <name>SingleInstance</name>
    <message>
        <source>Gridbook is already open with this data folder (%1). Use the window that is open, or close it first.</source>
        <translation>网格台账已经打开了这个数据文件夹（%1）。请使用已打开的窗口，或先将其关闭。</translation>
    </message>
    <message>
        <source>Gridbook is already open</source>
        <translation>网格台账已经打开</translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Offline · not logged in</source>
        <translation>离线 · 未登录</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Pending: %1</source>
        <translation>待同步：%1</translation>
    </message>
    <message>
        <source>Set aside: %1</source>
        <translation>搁置：%1</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>Last sync: %1</source>
        <translation>上次同步：%1</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>正在上传</translation>
    </message>
    <message>
        <source>Receiving</source>
        <translation>正在下载</translation>
    </message>
    <message>
        <source>Synced: %1 sent, %2 received, %3 set aside, %4 conflicts for the township to review</source>
        <translation>同步完成：上传 %1 条，下载 %2 条，搁置 %3 条，%4 处冲突待乡镇审核</translation>
    </message>
</context>
<context>
    <name>TasksPage</name>
    <message>
        <source>Done: %1</source>
        <translation>完成：%1</translation>
    </message>
    <message>
        <source>Counts as done</source>
        <translation>完成标准</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>周期</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>完成说明</translation>
    </message>
    <message>
        <source>Publish a task item</source>
        <translation>发布网格事务</translation>
    </message>
    <message>
        <source>Applies to</source>
        <translation>适用单位</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>责任人</translation>
    </message>
    <message>
        <source>Frequency</source>
        <translation>频次</translation>
    </message>
    <message>
        <source>Deadline (one-off items)</source>
        <translation>截止时间（一次性事项）</translation>
    </message>
    <message>
        <source>Mark done…</source>
        <translation>标记完成…</translation>
    </message>
    <message>
        <source>Publish an item…</source>
        <translation>发布事项…</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>应访日期</translation>
    </message>
    <message>
        <source>%1 items, %2 overdue</source>
        <translation>共 %1 项，%2 项超期</translation>
    </message>
    <message>
        <source>Choose an item in the list first.</source>
        <translation>请先在列表中选择一个事项。</translation>
    </message>
</context>
<context>
    <name>TownshipDesk</name>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Inbox</source>
        <translation>待办事件</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>冲突审核</translation>
    </message>
    <message>
        <source>Villages&apos; sync</source>
        <translation>各村同步</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>亮灯</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Village / grid</source>
        <translation>村/网格</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>办结时限</translation>
    </message>
    <message>
        <source>Village, department or worker</source>
        <translation>村、部门或网格员</translation>
    </message>
    <message>
        <source>Instruction or notes (a return needs one)</source>
        <translation>办理意见或说明（退回必填）</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>交办给：</translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation>分办</translation>
    </message>
    <message>
        <source>Instruct (督办)</source>
        <translation>督办批示</translation>
    </message>
    <message>
        <source>Escalate to the county</source>
        <translation>上报县级</translation>
    </message>
    <message>
        <source>Return to the village</source>
        <translation>退回村级</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>销号</translation>
    </message>
    <message>
        <source>Recorded: %1 · %2</source>
        <translation>已记录：%1 · %2</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Value kept</source>
        <translation>现值</translation>
    </message>
    <message>
        <source>Kept: who, when</source>
        <translation>现值：谁、何时</translation>
    </message>
    <message>
        <source>Value overwritten</source>
        <translation>被覆盖的值</translation>
    </message>
    <message>
        <source>Overwritten: who, when</source>
        <translation>被覆盖：谁、何时</translation>
    </message>
    <message>
        <source>Keep the value kept</source>
        <translation>保留现值</translation>
    </message>
    <message>
        <source>Take the overwritten value</source>
        <translation>采用被覆盖的值</translation>
    </message>
    <message>
        <source>Merge into one person</source>
        <translation>合并为一人</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Registered twice (same ID number)</source>
        <translation>重复登记（身份证号相同）</translation>
    </message>
    <message>
        <source>Two people after all: keep both</source>
        <translation>确是两个人，都保留</translation>
    </message>
    <message>
        <source>Worker</source>
        <translation>网格员</translation>
    </message>
    <message>
        <source>Laptop</source>
        <translation>电脑</translation>
    </message>
    <message>
        <source>Grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Last sent</source>
        <translation>最近上传</translation>
    </message>
    <message>
        <source>Changes received</source>
        <translation>已收到变更</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>What is pending or set aside on a laptop shows here only after it syncs; a laptop not heard from for 3 days is marked.</source>
        <translation>各电脑上待同步或被搁置的内容，要等它同步后才能在这里看到；3 天以上未同步的电脑会标红。</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>never sent anything</source>
        <translation>从未上传</translation>
    </message>
    <message>
        <source>not seen for %1 days</source>
        <translation>已 %1 天未同步</translation>
    </message>
    <message>
        <source>up to date</source>
        <translation>已同步</translation>
    </message>
    <message>
        <source>Asking the station…</source>
        <translation>正在查询乡镇站…</translation>
    </message>
    <message>
        <source>%1 conflicts to review, %2 laptops</source>
        <translation>待审核冲突 %1 条，电脑 %2 台</translation>
    </message>
    <message>
        <source>The station cannot be reached: %1</source>
        <translation>无法连接乡镇站：%1</translation>
    </message>
</context>
<context>
    <name>VisitDialog</name>
    <message>
        <source>Visit to %1</source>
        <translation>走访 %1</translation>
    </message>
    <message>
        <source>Raise a case from the needs</source>
        <translation>诉求转为事件</translation>
    </message>
    <message>
        <source>Title of the case</source>
        <translation>事件标题</translation>
    </message>
    <message>
        <source>Add a photo…</source>
        <translation>添加照片…</translation>
    </message>
    <message>
        <source>How</source>
        <translation>走访方式</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>走访情况</translation>
    </message>
    <message>
        <source>Needs raised</source>
        <translation>群众诉求</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>A case needs a title.</source>
        <translation>请填写事件标题。</translation>
    </message>
</context>
<context>
    <name>VisitsPage</name>
    <message>
        <source>never</source>
        <translation>从未走访</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>有</translation>
    </message>
    <message>
        <source>When</source>
        <translation>走访时间</translation>
    </message>
    <message>
        <source>How</source>
        <translation>走访方式</translation>
    </message>
    <message>
        <source>Visited by</source>
        <translation>走访人</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>走访情况</translation>
    </message>
    <message>
        <source>Needs raised</source>
        <translation>群众诉求</translation>
    </message>
    <message>
        <source>Cases raised</source>
        <translation>转办事件</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Everyone followed up, not only due</source>
        <translation>显示全部重点人员（不只到期的）</translation>
    </message>
    <message>
        <source>Record a visit…</source>
        <translation>记录走访…</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Resident</source>
        <translation>居民</translation>
    </message>
    <message>
        <source>Key groups</source>
        <translation>重点人群</translation>
    </message>
    <message>
        <source>Every (days)</source>
        <translation>走访周期（天）</translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation>上次走访</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>应访日期</translation>
    </message>
    <message>
        <source>now</source>
        <translation>现在</translation>
    </message>
    <message>
        <source>%1 overdue, %2 due soon</source>
        <translation>超期 %1 人，即将到期 %2 人</translation>
    </message>
    <message>
        <source>Record a visit</source>
        <translation>记录走访</translation>
    </message>
    <message>
        <source>Choose a resident in the list first.</source>
        <translation>请先在列表中选择一位居民。</translation>
    </message>
</context>
</TS>
