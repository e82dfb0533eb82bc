<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>Analyses</name>
        <message>
            <location filename="../../app/gui/analyses.py" line="187" />
            <source>No park</source>
            <translation>没有园区</translation>
        </message>
        <message>
            <location filename="../../app/gui/analyses.py" line="188" />
            <source>Load a park first (File → Open the sample park, or open a project).</source>
            <translation>请先载入园区（文件 → 打开示例园区，或打开项目）。</translation>
        </message>
        <message>
            <location filename="../../app/gui/analyses.py" line="216" />
            <source>Loading libraries</source>
            <translation>正在加载程序库</translation>
        </message>
        <message>
            <location filename="../../app/gui/analyses.py" line="262" />
            <source>Rooftop PV</source>
            <translation>屋顶光伏</translation>
        </message>
        <message>
            <location filename="../../app/gui/analyses.py" line="281" />
            <source>Carbon accounting and sinks</source>
            <translation>碳排放核算与碳汇</translation>
        </message>
        <message>
            <location filename="../../app/gui/analyses.py" line="295" />
            <source>Zero-carbon indicators</source>
            <translation>零碳指标</translation>
        </message>
        <message>
            <location filename="../../app/gui/analyses.py" line="310" />
            <source>Five-colour township map</source>
            <translation>乡镇五色图</translation>
        </message>
        <message>
            <location filename="../../app/gui/analyses.py" line="324" />
            <source>All analyses</source>
            <translation>全部分析</translation>
        </message>
        <message>
            <location filename="../../app/gui/analyses.py" line="353" />
            <source>Sample park</source>
            <translation>示例园区</translation>
        </message>
        <message>
            <location filename="../../app/gui/analyses.py" line="455" />
            <source>Browse…</source>
            <translation>浏览…</translation>
        </message>
    </context>
    <context>
        <name>AttributeTable</name>
        <message>
            <location filename="../../app/gui/attribute_table.py" line="315" />
            <source>Overview of the current view: {0:,} rows shown (every {1}th of its {2:,}) of {3:,} in the file; zoom in to see them all. {4:,} selected</source>
            <translation>当前视图概览：显示 {0:,} 行（视图内 {2:,} 行中每 {1} 行取 1 行），文件共 {3:,} 行；放大可查看全部。已选 {4:,} 个</translation>
        </message>
        <message>
            <location filename="../../app/gui/attribute_table.py" line="320" />
            <source>{0:,} of {1:,} rows shown (the whole file); {2:,} selected</source>
            <translation>显示 {0:,} / 共 {1:,} 行（整个文件）；已选 {2:,} 个</translation>
        </message>
        <message>
            <location filename="../../app/gui/attribute_table.py" line="323" />
            <source>{0:,} of {1:,} rows shown (current view and half a view around it); {2:,} selected</source>
            <translation>显示当前视图内 {0:,} / 共 {1:,} 行（含视图四周各半个视图）；已选 {2:,} 个</translation>
        </message>
        <message>
            <location filename="../../app/gui/attribute_table.py" line="434" />
            <source>Filter the rows read for the view: text in any column</source>
            <translation>筛选当前视图读入的行：任一列含此文字</translation>
        </message>
        <message>
            <location filename="../../app/gui/attribute_table.py" line="435" />
            <source>Filter: text in any column</source>
            <translation>筛选：任一列包含的文字</translation>
        </message>
        <message>
            <location filename="../../app/gui/attribute_table.py" line="440" />
            <source>Search the whole file…</source>
            <translation>在整个文件中查找…</translation>
        </message>
        <message>
            <location filename="../../app/gui/attribute_table.py" line="442" />
            <source>Select by attribute in every row of the file, not only in the rows read for the view</source>
            <translation>在文件的全部行中按属性选择，而不只是当前视图读入的行</translation>
        </message>
        <message>
            <location filename="../../app/gui/attribute_table.py" line="443" />
            <source>Selected only</source>
            <translation>仅显示选中</translation>
        </message>
        <message>
            <location filename="../../app/gui/attribute_table.py" line="444" />
            <source>Zoom the map to the selected features</source>
            <translation>地图缩放到选中要素</translation>
        </message>
        <message>
            <location filename="../../app/gui/attribute_table.py" line="445" />
            <source>Clear the selection</source>
            <translation>清除选择</translation>
        </message>
        <message>
            <location filename="../../app/gui/attribute_table.py" line="446" />
            <location filename="../../app/gui/attribute_table.py" line="665" />
            <location filename="../../app/gui/attribute_table.py" line="691" />
            <source>Export</source>
            <translation>导出</translation>
        </message>
        <message>
            <location filename="../../app/gui/attribute_table.py" line="447" />
            <source>Export the rows to CSV or Excel</source>
            <translation>将行导出为 CSV 或 Excel</translation>
        </message>
        <message>
            <location filename="../../app/gui/attribute_table.py" line="448" />
            <source>Export selected rows…</source>
            <translation>导出选中行…</translation>
        </message>
        <message>
            <location filename="../../app/gui/attribute_table.py" line="449" />
            <source>Export all shown rows…</source>
            <translation>导出所有显示的行…</translation>
        </message>
        <message>
            <location filename="../../app/gui/attribute_table.py" line="450" />
            <source>Layer shown in the table</source>
            <translation>表中显示的图层</translation>
        </message>
        <message>
            <location filename="../../app/gui/attribute_table.py" line="461" />
            <source>No layer</source>
            <translation>无图层</translation>
        </message>
        <message>
            <location filename="../../app/gui/attribute_table.py" line="467" />
            <source>{0}. The filter searches only these rows; for the whole file use Search the whole file…</source>
            <translation>{0}。筛选只针对这些行；要在整个文件中查找，请用“在整个文件中查找…”</translation>
        </message>
        <message>
            <location filename="../../app/gui/attribute_table.py" line="472" />
            <source>{0:,} of {1:,} features shown, {2:,} selected</source>
            <translation>显示 {0:,} / {1:,} 个要素，选中 {2:,} 个</translation>
        </message>
        <message>
            <location filename="../../app/gui/attribute_table.py" line="665" />
            <source>No rows are selected.</source>
            <translation>没有选中任何行。</translation>
        </message>
        <message>
            <location filename="../../app/gui/attribute_table.py" line="669" />
            <source>Export attributes</source>
            <translation>导出属性</translation>
        </message>
        <message>
            <location filename="../../app/gui/attribute_table.py" line="670" />
            <source>CSV (*.csv);;Excel workbook (*.xlsx)</source>
            <translation>CSV (*.csv);;Excel 工作簿 (*.xlsx)</translation>
        </message>
        <message>
            <location filename="../../app/gui/attribute_table.py" line="689" />
            <source>{0:,} rows written to {1}</source>
            <translation>已将 {0:,} 行写入 {1}</translation>
        </message>
        <message>
            <location filename="../../app/gui/attribute_table.py" line="697" />
            <source>Exporting {0}</source>
            <translation>正在导出 {0}</translation>
        </message>
    </context>
    <context>
        <name>CarbonDialog</name>
        <message>
            <location filename="../../app/gui/analyses.py" line="543" />
            <source>Carbon accounting and sinks</source>
            <translation>碳排放核算与碳汇</translation>
        </message>
        <message>
            <location filename="../../app/gui/analyses.py" line="554" />
            <source>Sinks come from the park's green-space polygons and tree rows (per-class sink rates with their sources in resources/defaults). The balance uses the current rooftop PV yield. Defaults: the park's energy table, factor set national-2023, the latest year.</source>
            <translation>碳汇来自园区绿地面和行道树（各类碳汇速率及来源见 resources/defaults）。碳平衡使用当前的屋顶光伏发电量。默认：园区能耗表、因子集 national-2023、最新年份。</translation>
        </message>
    </context>
    <context>
        <name>Dashboard</name>
        <message>
            <location filename="../../app/gui/dashboard.py" line="359" />
            <source>Results</source>
            <translation>结果</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="361" />
            <source>No analyses yet. Open a park and choose Analysis → Run all analyses to see PV potential, emissions, sinks and the indicator check here.</source>
            <translation>尚无分析结果。打开园区后选择“分析 → 运行全部分析”，此处将显示光伏潜力、碳排放、碳汇和指标核查。</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="369" />
            <source>Year {0}</source>
            <translation>{0} 年</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="372" />
            <source>Factors: {0}</source>
            <translation>因子：{0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="376" />
            <source>Park area</source>
            <translation>园区面积</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="377" />
            <source>Rooftop PV capacity</source>
            <translation>屋顶光伏装机</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="377" />
            <source>kWp</source>
            <translation>kWp</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="378" />
            <source>Rooftop PV generation</source>
            <translation>屋顶光伏发电量</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="378" />
            <source>MWh/yr</source>
            <translation>MWh/年</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="379" />
            <source>Emissions</source>
            <translation>碳排放</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="379" />
            <location filename="../../app/gui/dashboard.py" line="380" />
            <location filename="../../app/gui/dashboard.py" line="381" />
            <location filename="../../app/gui/dashboard.py" line="570" />
            <source>tCO₂/yr</source>
            <translation>tCO₂/年</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="380" />
            <source>Carbon sinks</source>
            <translation>碳汇</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="381" />
            <source>Net emissions (scenario)</source>
            <translation>净排放（情景）</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="391" />
            <source>Scenario</source>
            <translation>情景</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="392" />
            <source>Accounting year</source>
            <translation>核算年份</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="393" />
            <source>The energy table holds several years: choose one to account emissions, the balance and the indicators for it</source>
            <translation>能耗表含多个年份：选择一年，按该年核算排放、碳平衡与指标</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="398" />
            <source>Zero-carbon indicators</source>
            <translation>零碳指标</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="400" />
            <source>Indicator</source>
            <translation>指标</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="400" />
            <source>Value</source>
            <translation>数值</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="400" />
            <source>Target</source>
            <translation>目标</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="400" />
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="416" />
            <source>No emissions: the park has no enterprise energy table, so emissions, sinks, the balance and the indicators were not accounted. Add one with {0} → {1} (the energy table), or with {2} → {3} → energy table. A ready-to-fill Excel template: lingtan template energy --out energy.xlsx</source>
            <translation>没有碳排放：园区没有企业能耗表，因此未核算碳排放、碳汇、碳平衡和指标。请在 {0} → {1} 中添加企业能耗表，或在 {2} → {3} → 企业能耗表 中选择。可直接填写的 Excel 模板：lingtan template energy --out 能耗表.xlsx</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="463" />
            <source>pass</source>
            <translation>达标</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="463" />
            <source>fail</source>
            <translation>未达标</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="463" />
            <source>no data</source>
            <translation>缺数据</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="464" />
            <source>not applicable</source>
            <translation>不适用</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="511" />
            <source>Rooftop PV generation by month</source>
            <translation>屋顶光伏逐月发电量</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="526" />
            <source>Emissions by fuel</source>
            <translation>分能源品种碳排放</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="539" />
            <source>Emissions by sector</source>
            <translation>分行业碳排放</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="546" />
            <source>other</source>
            <translation>其他</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="548" />
            <location filename="../../app/gui/dashboard.py" line="583" />
            <source>kt CO₂</source>
            <translation>千吨 CO₂</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="555" />
            <source>Carbon balance</source>
            <translation>碳平衡</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="559" />
            <location filename="../../app/gui/dashboard.py" line="582" />
            <source>Gross</source>
            <translation>总排放</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="560" />
            <source>PV self-used</source>
            <translation>光伏自用</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="561" />
            <source>PV exported</source>
            <translation>光伏上网</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="562" />
            <source>Green power</source>
            <translation>绿电</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="563" />
            <source>Sinks</source>
            <translation>碳汇</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="568" />
            <location filename="../../app/gui/dashboard.py" line="582" />
            <source>Net</source>
            <translation>净排放</translation>
        </message>
        <message>
            <location filename="../../app/gui/dashboard.py" line="576" />
            <source>Gross and net emissions by scenario</source>
            <translation>各情景总排放与净排放</translation>
        </message>
    </context>
    <context>
        <name>DrawTool</name>
        <message>
            <location filename="../../app/gui/draw_tool.py" line="125" />
            <source>Click the corners of the red line (snaps to vertices of visible layers); double-click or Enter to finish, Backspace to remove the last corner, Esc to cancel</source>
            <translation>单击红线的各个拐点（吸附到可见图层的顶点）；双击或回车结束，退格键删除上一个拐点，Esc 取消</translation>
        </message>
        <message>
            <location filename="../../app/gui/draw_tool.py" line="198" />
            <source>A red line needs three corners or more, enclosing an area</source>
            <translation>红线至少需要三个拐点并围成一块面积</translation>
        </message>
        <message>
            <location filename="../../app/gui/draw_tool.py" line="263" />
            <source>Drawn red line</source>
            <translation>绘制的红线</translation>
        </message>
        <message>
            <location filename="../../app/gui/draw_tool.py" line="271" />
            <source>Draw red line</source>
            <translation>绘制红线</translation>
        </message>
    </context>
    <context>
        <name>EnergyPanel</name>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="432" />
            <source>Item</source>
            <translation>项目</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="432" />
            <location filename="../../app/gui/pathways_editor.py" line="84" />
            <source>Value</source>
            <translation>数值</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="432" />
            <location filename="../../app/gui/pathways_editor.py" line="84" />
            <source>Unit</source>
            <translation>单位</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="435" />
            <source>Tariff: {0}. Source: {1}</source>
            <translation>电价：{0}。来源：{1}</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="436" />
            <source>No tariff was chosen: no bill and no economics.</source>
            <translation>未选择电价：不计算电费和经济性。</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="449" />
            <source>Hour-by-hour energy…</source>
            <translation>逐时能源平衡…</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="450" />
            <source>Balance the park's load against PV, wind and storage interval by interval, with the tariff and the economics (源网荷储)</source>
            <translation>按时段平衡园区负荷与光伏、风电和储能，并计算分时电费与经济性（源网荷储）</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="452" />
            <source>Hour-by-hour energy balance</source>
            <translation>逐时能源平衡</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="453" />
            <source>No hour-by-hour energy run yet. Choose Analysis → Hour-by-hour energy… to balance the park's load against its PV, wind and storage hour by hour.</source>
            <translation>尚无逐时能源平衡结果。请选择 分析 → 逐时能源平衡…，逐时平衡园区负荷与光伏、风电和储能。</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="459" />
            <source>Year {0}</source>
            <translation>{0} 年</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="461" />
            <source>{0}-minute steps</source>
            <translation>步长 {0} 分钟</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="464" />
            <source>cost-optimal dispatch</source>
            <translation>成本最优调度</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="464" />
            <source>self-consumption dispatch</source>
            <translation>自发自用调度</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="474" />
            <source>Day / week</source>
            <translation>逐日/逐周</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="474" />
            <source>Heatmap</source>
            <translation>热力图</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="474" />
            <source>Duration curves</source>
            <translation>持续曲线</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="474" />
            <source>Economics</source>
            <translation>经济性</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="475" />
            <source>Sizing</source>
            <translation>容量优化</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="477" />
            <source>Day</source>
            <translation>日</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="478" />
            <source>Week</source>
            <translation>周</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="479" />
            <source>Previous day or week</source>
            <translation>前一日或前一周</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="480" />
            <source>Next day or week</source>
            <translation>后一日或后一周</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="481" />
            <source>Typical summer week</source>
            <translation>典型夏季周</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="482" />
            <source>Typical winter week</source>
            <translation>典型冬季周</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="483" />
            <source>Load</source>
            <translation>负荷</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="483" />
            <source>On-site generation</source>
            <translation>园区内发电</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="484" />
            <source>Net load (load − on-site)</source>
            <translation>净负荷（负荷 − 园区内发电）</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="484" />
            <source>Grid import</source>
            <translation>下网功率</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="488" />
            <source>Save chart as PNG…</source>
            <translation>将图表另存为 PNG…</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="489" />
            <source>Export hourly table (CSV/Excel)…</source>
            <translation>导出逐时表（CSV/Excel）…</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="490" />
            <source>Edit load profiles…</source>
            <translation>编辑负荷曲线…</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="491" />
            <source>Shape the typical daily load of each load kind; the saved file is used by the next hour-by-hour run</source>
            <translation>调整各负荷类型的典型日曲线；保存的文件用于下一次逐时能源平衡计算</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="495" />
            <source>The hourly table is not kept in the project: run the analysis again to export it.</source>
            <translation>逐时表不随项目保存：请重新运行分析后导出。</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="502" />
            <source>The project keeps the typical weeks only; run the analysis again to see any day of the year.</source>
            <translation>项目中只保存了典型周；重新运行分析即可查看全年任意一天。</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="518" />
            <source>Self-sufficiency</source>
            <translation>自给率</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="519" />
            <source>annual netting {0} % (comparison)</source>
            <translation>年度净额法 {0} %（仅供对比）</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="520" />
            <source>Self-consumption</source>
            <translation>自发自用率</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="521" />
            <source>of on-site generation</source>
            <translation>占园区内发电量</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="522" />
            <source>Green-power share</source>
            <translation>绿电占比</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="523" />
            <source>of consumption</source>
            <translation>占用电量</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="524" />
            <source>Grid import / export</source>
            <translation>下网 / 上网电量</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="525" />
            <source>MWh/yr</source>
            <translation>MWh/年</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="526" />
            <source>Grid import peak</source>
            <translation>下网峰值</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="527" />
            <source>export peak {0} kW</source>
            <translation>上网峰值 {0} kW</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="529" />
            <source>Battery cycles</source>
            <translation>储能循环</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="530" />
            <source>equivalent full cycles a year</source>
            <translation>等效满充满放次数/年</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="530" />
            <source>no battery</source>
            <translation>无储能</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="533" />
            <location filename="../../app/gui/energy_panel.py" line="536" />
            <source>Electricity bill</source>
            <translation>电费</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="533" />
            <source>no tariff chosen</source>
            <translation>未选择电价</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="537" />
            <source>10⁴ yuan/yr; saves {0} %</source>
            <translation>万元/年（前 → 后）；节省 {0} %</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="538" />
            <source>Avoided CO₂</source>
            <translation>减排量</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="538" />
            <source>tCO₂/yr (on-site energy used)</source>
            <translation>tCO₂/年（园区内消纳部分）</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="566" />
            <source>Export hourly table</source>
            <translation>导出逐时表</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="574" />
            <source>Written: {0}</source>
            <translation>已写出：{0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="590" />
            <source>Save chart as PNG</source>
            <translation>将图表另存为 PNG</translation>
        </message>
        <message>
            <location filename="../../app/gui/energy_panel.py" line="636" />
            <source>Energy</source>
            <translation>能源</translation>
        </message>
    </context>
    <context>
        <name>ExportLayersDialog</name>
        <message>
            <location filename="../../app/gui/window_exports.py" line="249" />
            <source>Export layers</source>
            <translation>导出图层</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="251" />
            <source>Browse…</source>
            <translation>浏览…</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="257" />
            <source>Shapefile (one per layer)</source>
            <translation>Shapefile（每个图层一个）</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="258" />
            <source>GeoPackage (all layers in one file, with QGIS styles)</source>
            <translation>GeoPackage（所有图层在一个文件中，含 QGIS 样式）</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="259" />
            <source>GeoJSON (WGS84 longitude/latitude)</source>
            <translation>GeoJSON（WGS84 经纬度）</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="260" />
            <source>CSV (attributes with centroid longitude/latitude)</source>
            <translation>CSV（属性及质心经纬度）</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="262" />
            <source>UTF-8 (QGIS, ArcGIS Pro)</source>
            <translation>UTF-8（QGIS、ArcGIS Pro）</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="263" />
            <source>GBK (older ArcGIS / ArcMap on Chinese Windows)</source>
            <translation>GBK（中文 Windows 上的旧版 ArcGIS / ArcMap）</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="264" />
            <source>Visible layers only</source>
            <translation>仅可见图层</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="267" />
            <source>Folder</source>
            <translation>文件夹</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="268" />
            <source>Format</source>
            <translation>格式</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="269" />
            <source>Shapefile text encoding</source>
            <translation>Shapefile 文字编码</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="291" />
            <source>Export layers to folder</source>
            <translation>导出图层到文件夹</translation>
        </message>
    </context>
    <context>
        <name>FiveColourPanel</name>
        <message>
            <location filename="../../app/gui/five_colour_panel.py" line="255" />
            <source>The park has no enterprise energy table: nothing to drill into.</source>
            <translation>园区没有企业能耗表，无法下钻到企业。</translation>
        </message>
        <message>
            <location filename="../../app/gui/five_colour_panel.py" line="280" />
            <source>Select a township on the map (or double-click it) to see its enterprises.</source>
            <translation>请在地图上选择一个乡镇（或双击它）以查看其企业。</translation>
        </message>
        <message>
            <location filename="../../app/gui/five_colour_panel.py" line="370" />
            <location filename="../../app/gui/five_colour_panel.py" line="372" />
            <source>District</source>
            <translation>区县</translation>
        </message>
        <message>
            <location filename="../../app/gui/five_colour_panel.py" line="370" />
            <source>Township</source>
            <translation>乡镇</translation>
        </message>
        <message>
            <location filename="../../app/gui/five_colour_panel.py" line="372" />
            <location filename="../../app/gui/five_colour_panel.py" line="430" />
            <source>Enterprises</source>
            <translation>企业</translation>
        </message>
        <message>
            <location filename="../../app/gui/five_colour_panel.py" line="387" />
            <source>class {0}: {1}</source>
            <translation>{0} 级：{1}</translation>
        </message>
        <message>
            <location filename="../../app/gui/five_colour_panel.py" line="388" />
            <source>no data: {0}</source>
            <translation>无数据：{0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/five_colour_panel.py" line="391" />
            <source>Double-click a township on the map (or select it and press Enterprises) to see its enterprises by carbon-efficiency grade.</source>
            <translation>双击地图上的乡镇（或选中后点“企业”），查看其企业的碳效等级。</translation>
        </message>
        <message>
            <location filename="../../app/gui/five_colour_panel.py" line="400" />
            <source>{0}, {1}: {2} enterprises · Σ CO₂ {3} t · Σ energy {4} tce · Σ value added {5} × 10⁴ yuan (township totals = Σ of its enterprises)</source>
            <translation>{0}，{1} 年：{2} 家企业 · 碳排放合计 {3} 吨 · 能耗合计 {4} 吨标准煤 · 增加值合计 {5} 万元（乡镇合计 = 其企业之和）</translation>
        </message>
        <message>
            <location filename="../../app/gui/five_colour_panel.py" line="406" />
            <source>All enterprises {0} t CO₂ ({1}) = in townships {2} t ({3}) + outside every township {4} t ({5}) + not placed {6} t ({7})</source>
            <translation>全部企业 {0} 吨CO₂（{1} 家）= 乡镇内 {2} 吨（{3} 家）+ 不在任何乡镇内 {4} 吨（{5} 家）+ 未能定位 {6} 吨（{7} 家）</translation>
        </message>
        <message>
            <location filename="../../app/gui/five_colour_panel.py" line="412" />
            <source>Not placed: {0}</source>
            <translation>未能定位：{0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/five_colour_panel.py" line="421" />
            <source>Five-colour map over the years</source>
            <translation>逐年五色图</translation>
        </message>
        <message>
            <location filename="../../app/gui/five_colour_panel.py" line="422" />
            <source>No five-colour map yet. Choose Analysis → Five-colour Township Map (or Run All) with a statistics table; its years appear here.</source>
            <translation>尚无五色图。请选择 分析 → 乡镇五色图（或“全部运行”），统计表中的各年份会显示在这里。</translation>
        </message>
        <message>
            <location filename="../../app/gui/five_colour_panel.py" line="426" />
            <source>Year</source>
            <translation>年份</translation>
        </message>
        <message>
            <location filename="../../app/gui/five_colour_panel.py" line="427" />
            <source>Drag to recolour the township map for another year</source>
            <translation>拖动以按其他年份重新着色乡镇地图</translation>
        </message>
        <message>
            <location filename="../../app/gui/five_colour_panel.py" line="428" />
            <source>Back</source>
            <translation>返回</translation>
        </message>
        <message>
            <location filename="../../app/gui/five_colour_panel.py" line="429" />
            <source>Back to the township map</source>
            <translation>返回乡镇地图</translation>
        </message>
        <message>
            <location filename="../../app/gui/five_colour_panel.py" line="431" />
            <source>Show the enterprises of the selected township</source>
            <translation>显示所选乡镇的企业</translation>
        </message>
        <message>
            <location filename="../../app/gui/five_colour_panel.py" line="433" />
            <source>Breaks of {0} for every year (colours comparable)</source>
            <translation>各年均用 {0} 年的分级断点（颜色可比）</translation>
        </message>
        <message>
            <location filename="../../app/gui/five_colour_panel.py" line="434" />
            <source>Breaks recomputed each year</source>
            <translation>各年分别重新分级</translation>
        </message>
        <message>
            <location filename="../../app/gui/five_colour_panel.py" line="444" />
            <source>Five-colour map</source>
            <translation>五色图</translation>
        </message>
    </context>
    <context>
        <name>IdentifyPanel</name>
        <message>
            <location filename="../../app/gui/window_docks.py" line="74" />
            <source>Field</source>
            <translation>字段</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_docks.py" line="74" />
            <source>Value</source>
            <translation>数值</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_docks.py" line="91" />
            <source>Choose the Identify tool and click a feature on the map.</source>
            <translation>选择“识别要素”工具，然后在地图上点击要素。</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_docks.py" line="93" />
            <source>Raster values under the click</source>
            <translation>点击处的栅格值</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_docks.py" line="101" />
            <source>{0}: {1} features</source>
            <translation>{0}：{1} 个要素</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_docks.py" line="102" />
            <source> (first {0} shown)</source>
            <translation>（显示前 {0} 个）</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_docks.py" line="106" />
            <source>Feature {0}</source>
            <translation>要素 {0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_docks.py" line="111" />
            <source>geometry</source>
            <translation>几何</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_docks.py" line="132" />
            <source>Raster layer {0}</source>
            <translation>栅格图层 {0}</translation>
        </message>
    </context>
    <context>
        <name>IndicatorDialog</name>
        <message>
            <location filename="../../app/gui/analyses.py" line="573" />
            <source>Zero-carbon indicators</source>
            <translation>零碳指标</translation>
        </message>
        <message>
            <location filename="../../app/gui/analyses.py" line="582" />
            <source>Park facts the energy data cannot give (tick to enter a value, %). The check runs for every scenario of the balance.</source>
            <translation>能耗数据无法提供的园区事实（勾选后填写数值，%）。核查对碳平衡的每个情景进行。</translation>
        </message>
    </context>
    <context>
        <name>IntensityDialog</name>
        <message>
            <location filename="../../app/gui/analyses.py" line="595" />
            <source>Five-colour township map</source>
            <translation>乡镇五色图</translation>
        </message>
        <message>
            <location filename="../../app/gui/analyses.py" line="606" />
            <source>Township/street polygons to colour. Default: the park's townships.</source>
            <translation>要着色的乡镇街道面。默认：园区的乡镇图层。</translation>
        </message>
        <message>
            <location filename="../../app/gui/analyses.py" line="607" />
            <source>Townships layer</source>
            <translation>乡镇图层</translation>
        </message>
        <message>
            <location filename="../../app/gui/analyses.py" line="609" />
            <source>Statistics table</source>
            <translation>统计表</translation>
        </message>
        <message>
            <location filename="../../app/gui/analyses.py" line="609" />
            <source>The park's township statistics</source>
            <translation>园区的乡镇统计表</translation>
        </message>
        <message>
            <location filename="../../app/gui/analyses.py" line="610" />
            <source>Energy by fuel or emissions, GDP / value added (10^4 yuan), population, land area; one or more years (CSV/Excel). Empty: the table loaded with the park.</source>
            <translation>分品种能耗或碳排放、地区生产总值/增加值（万元）、人口、土地面积；一年或多年（CSV/Excel）。留空：使用随园区载入的表。</translation>
        </message>
        <message>
            <location filename="../../app/gui/analyses.py" line="612" />
            <source>Tables (*.csv *.xlsx *.xls);;All files (*)</source>
            <translation>表格 (*.csv *.xlsx *.xls);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="../../app/gui/analyses.py" line="614" />
            <source>The townships' field to join on. Automatic: a code field when both sides have one, else the (normalised Chinese) names.</source>
            <translation>乡镇图层用于关联的字段。自动：两边都有代码字段时用代码，否则用（规范化后的中文）名称。</translation>
        </message>
        <message>
            <location filename="../../app/gui/analyses.py" line="616" />
            <source>Join field</source>
            <translation>关联字段</translation>
        </message>
        <message>
            <location filename="../../app/gui/analyses.py" line="632" />
            <source>Colours low → high: green, blue, yellow, orange, red; grey = no data (checked for colour-blind readers). Defaults: the park's townships and statistics, automatic join, ratio method.</source>
            <translation>颜色由低到高：绿、蓝、黄、橙、红；灰色 = 无数据（已检查色盲可辨）。默认：园区的乡镇和统计表、自动关联、比值法。</translation>
        </message>
        <message>
            <location filename="../../app/gui/analyses.py" line="640" />
            <source>Automatic</source>
            <translation>自动</translation>
        </message>
    </context>
    <context>
        <name>LayerPanel</name>
        <message>
            <location filename="../../app/gui/layer_panel.py" line="584" />
            <location filename="../../app/gui/layer_panel.py" line="639" />
            <location filename="../../app/gui/layer_panel.py" line="642" />
            <source>Opacity</source>
            <translation>不透明度</translation>
        </message>
        <message>
            <location filename="../../app/gui/layer_panel.py" line="605" />
            <source>New group</source>
            <translation>新建分组</translation>
        </message>
        <message>
            <location filename="../../app/gui/layer_panel.py" line="605" />
            <source>Group name:</source>
            <translation>分组名称：</translation>
        </message>
        <message>
            <location filename="../../app/gui/layer_panel.py" line="628" />
            <source>Zoom to Layer</source>
            <translation>缩放到图层</translation>
        </message>
        <message>
            <location filename="../../app/gui/layer_panel.py" line="631" />
            <source>Open Attribute Table</source>
            <translation>打开属性表</translation>
        </message>
        <message>
            <location filename="../../app/gui/layer_panel.py" line="633" />
            <source>Style</source>
            <translation>样式</translation>
        </message>
        <message>
            <location filename="../../app/gui/layer_panel.py" line="636" />
            <source>Colours</source>
            <translation>颜色</translation>
        </message>
        <message>
            <location filename="../../app/gui/layer_panel.py" line="638" />
            <source>Rename</source>
            <translation>重命名</translation>
        </message>
        <message>
            <location filename="../../app/gui/layer_panel.py" line="647" />
            <source>Remove</source>
            <translation>移除</translation>
        </message>
        <message>
            <location filename="../../app/gui/layer_panel.py" line="649" />
            <source>Add Group</source>
            <translation>添加分组</translation>
        </message>
        <message>
            <location filename="../../app/gui/layer_panel.py" line="672" />
            <source>Single Colour…</source>
            <translation>单一颜色…</translation>
        </message>
        <message>
            <location filename="../../app/gui/layer_panel.py" line="673" />
            <source>Categorized by</source>
            <translation>分类显示，按</translation>
        </message>
        <message>
            <location filename="../../app/gui/layer_panel.py" line="674" />
            <source>Graduated by (five colours)</source>
            <translation>分级显示（五色），按</translation>
        </message>
        <message>
            <location filename="../../app/gui/layer_panel.py" line="689" />
            <source>Default Style</source>
            <translation>默认样式</translation>
        </message>
        <message>
            <location filename="../../app/gui/layer_panel.py" line="692" />
            <source>Viridis (2–98 % stretch)</source>
            <translation>Viridis 色带（2–98% 拉伸）</translation>
        </message>
        <message>
            <location filename="../../app/gui/layer_panel.py" line="694" />
            <source>Greyscale (2–98 % stretch)</source>
            <translation>灰度（2–98% 拉伸）</translation>
        </message>
        <message>
            <location filename="../../app/gui/layer_panel.py" line="696" />
            <source>Distinct Colours per Value</source>
            <translation>按值分色</translation>
        </message>
        <message>
            <location filename="../../app/gui/layer_panel.py" line="712" />
            <source>Layer colour</source>
            <translation>图层颜色</translation>
        </message>
    </context>
    <context>
        <name>LayerTreeModel</name>
        <message>
            <location filename="../../app/gui/layer_panel.py" line="298" />
            <source>Group with {0} layers</source>
            <translation>分组，含 {0} 个图层</translation>
        </message>
        <message>
            <location filename="../../app/gui/layer_panel.py" line="304" />
            <source>{0:,} features</source>
            <translation>{0:,} 个要素</translation>
        </message>
        <message>
            <location filename="../../app/gui/layer_panel.py" line="308" />
            <source>Raster {0:,} × {1:,} cells of {2:g} × {3:g}</source>
            <translation>栅格 {0:,} × {1:,} 个像元，像元 {2:g} × {3:g}</translation>
        </message>
        <message>
            <location filename="../../app/gui/layer_panel.py" line="310" />
            <source>CRS: {0}</source>
            <translation>坐标系：{0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/layer_panel.py" line="312" />
            <source>Opacity {0:.0f}%</source>
            <translation>不透明度 {0:.0f}%</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../app/gui/main_window.py" line="168" />
            <source>{0} layer(s) of this project could not be opened (their data are missing): {1}</source>
            <translation>本项目有 {0} 个图层无法打开（数据缺失）：{1}</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="227" />
            <source>Lingtan · zero-carbon park planning</source>
            <translation>零碳 · 零碳园区规划</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="233" />
            <source>Scale 1:{0:,.0f}</source>
            <translation>比例尺 1:{0:,.0f}</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="239" />
            <source>no CRS</source>
            <translation>无坐标系</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="244" />
            <source>Render {0} ms</source>
            <translation>绘制 {0} 毫秒</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="250" />
            <source>Area: {0}</source>
            <translation>面积：{0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="250" />
            <source>Distance: {0}</source>
            <translation>距离：{0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="284" />
            <source>Choose a vector layer in the layer panel first</source>
            <translation>请先在图层面板中选择一个矢量图层</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="288" />
            <source>{0} features selected</source>
            <translation>已选择 {0} 个要素</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="312" />
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="313" />
            <source>&amp;Edit</source>
            <translation>编辑(&amp;E)</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="314" />
            <source>Open Recen&amp;t</source>
            <translation>最近打开(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="315" />
            <source>&amp;Export</source>
            <translation>导出(&amp;E)</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="316" />
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="317" />
            <source>Map Tools</source>
            <translation>地图工具</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="318" />
            <source>Panels</source>
            <translation>面板</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="319" />
            <source>Style of the Current Layer</source>
            <translation>当前图层样式</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="320" />
            <source>&amp;Layer</source>
            <translation>图层(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="321" />
            <source>&amp;Analysis</source>
            <translation>分析(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="323" />
            <source>&amp;Settings</source>
            <translation>设置(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="324" />
            <source>Language</source>
            <translation>语言</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="325" />
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="327" />
            <source>&amp;New Project</source>
            <translation>新建项目(&amp;N)</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="327" />
            <source>Start an empty project</source>
            <translation>新建一个空项目</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="328" />
            <source>&amp;Open Project…</source>
            <translation>打开项目(&amp;O)…</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="328" />
            <source>Open a Lingtan project (.lingtan.gpkg)</source>
            <translation>打开零碳项目（.lingtan.gpkg）</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="329" />
            <source>&amp;Save</source>
            <translation>保存(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="329" />
            <source>Save the project</source>
            <translation>保存项目</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="330" />
            <source>Save &amp;As…</source>
            <translation>另存为(&amp;A)…</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="330" />
            <source>Save the project under another name</source>
            <translation>以其他名称保存项目</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="331" />
            <source>A&amp;dd Data…</source>
            <translation>添加数据(&amp;D)…</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="332" />
            <source>Add Shapefile, GeoPackage, GeoJSON, KML, DXF, CSV or Excel data (or drop files on the window)</source>
            <translation>添加 Shapefile、GeoPackage、GeoJSON、KML、DXF、CSV 或 Excel 数据（也可把文件拖到窗口上）</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="338" />
            <source>Open the Sample Park</source>
            <translation>打开示例园区</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="339" />
            <source>Load the sample park and run all analyses</source>
            <translation>载入示例园区并运行全部分析</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="340" />
            <source>Layers (Shapefile, GeoPackage, GeoJSON, CSV)…</source>
            <translation>图层（Shapefile、GeoPackage、GeoJSON、CSV）…</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="341" />
            <source>Map Image (PNG)…</source>
            <translation>地图图片（PNG）…</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="342" />
            <source>Web Map (HTML)…</source>
            <translation>网页地图（HTML）…</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="343" />
            <source>All Results…</source>
            <translation>全部结果…</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="344" />
            <source>&amp;Report (PDF)…</source>
            <translation>报告(&amp;R)（PDF）…</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="344" />
            <source>Write the planning report as a PDF</source>
            <translation>生成 PDF 格式的规划报告</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="345" />
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="346" />
            <source>Zoom to &amp;Layer</source>
            <translation>缩放到图层(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="347" />
            <source>Zoom to the layer selected in the layer panel</source>
            <translation>缩放到图层面板中选中的图层</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="348" />
            <source>Open &amp;Attribute Table</source>
            <translation>打开属性表(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="349" />
            <source>Attribute table of the selected layer</source>
            <translation>选中图层的属性表</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="350" />
            <source>Select by A&amp;ttribute…</source>
            <translation>按属性选择(&amp;T)…</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="351" />
            <source>Select the features that meet a condition</source>
            <translation>选择满足条件的要素</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="352" />
            <source>&amp;Remove Layer or Group</source>
            <translation>移除图层或分组(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="353" />
            <source>Add &amp;Group</source>
            <translation>添加分组(&amp;G)</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="354" />
            <source>Default &amp;Style</source>
            <translation>默认样式(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="354" />
            <source>Restore the layer's default style</source>
            <translation>恢复图层的默认样式</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="355" />
            <source>Rooftop &amp;PV…</source>
            <translation>屋顶光伏(&amp;P)…</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="355" />
            <source>Rooftop PV potential of every building</source>
            <translation>每栋建筑的屋顶光伏潜力</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="356" />
            <source>&amp;Carbon Accounting and Sinks…</source>
            <translation>碳排放核算与碳汇(&amp;C)…</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="357" />
            <source>Emissions, sinks and carbon balance</source>
            <translation>碳排放、碳汇与碳平衡</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="358" />
            <source>Zero-carbon &amp;Indicators…</source>
            <translation>零碳指标(&amp;I)…</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="359" />
            <source>Check the zero-carbon park indicators</source>
            <translation>核查零碳园区指标</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="360" />
            <source>&amp;Five-colour Township Map…</source>
            <translation>乡镇五色图(&amp;F)…</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="361" />
            <source>Township carbon intensity in five classes</source>
            <translation>乡镇碳排放强度五级分类</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="362" />
            <source>Run &amp;All Analyses…</source>
            <translation>运行全部分析(&amp;A)…</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="363" />
            <source>Rooftop PV, carbon accounting, indicators and the five-colour map</source>
            <translation>屋顶光伏、碳排放核算、指标核查和五色图</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="364" />
            <source>&amp;Settings…</source>
            <translation>设置(&amp;S)…</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="365" />
            <source>Language, units, emission factors, network, PV modules</source>
            <translation>语言、单位、排放因子、网络、光伏组件</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="368" />
            <source>&amp;About Lingtan</source>
            <translation>关于零碳(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="369" />
            <source>User &amp;Guide</source>
            <translation>用户指南(&amp;G)</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="382" />
            <source>Project</source>
            <translation>项目</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="383" />
            <source>Map</source>
            <translation>地图</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="552" />
            <source>&lt;h3&gt;零碳 Lingtan {0}&lt;/h3&gt;&lt;p&gt;Desktop GIS for zero-carbon industrial-park planning: rooftop PV potential, carbon accounting and sinks, the zero-carbon park indicators and the five-colour township carbon-intensity map.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Data sources&lt;/b&gt;: emission factors from the national GHG accounting guidelines and the published national grid factors (resources/factors); sink factors from provincial LULUCF accounts and Nowak et al. 2013 (resources/factors/sink_factors.csv); solar climatology from the CSWD typical-year data (resources/solar); storey heights and roof classes from Chinese building codes and practice (resources/defaults); indicators from the national zero-carbon park indicator system (trial, 2025). Basemaps (only with network use on): © OpenStreetMap contributors, © 天地图 Tianditu. The sample park is synthetic.&lt;/p&gt;&lt;p&gt;Qt {1} · PySide6&lt;/p&gt;</source>
            <translation>&lt;h3&gt;零碳 Lingtan {0}&lt;/h3&gt;&lt;p&gt;零碳产业园区规划桌面 GIS：屋顶光伏潜力、碳排放核算与碳汇、零碳园区指标核查，以及乡镇碳排放强度五色图。&lt;/p&gt;&lt;p&gt;&lt;b&gt;数据来源&lt;/b&gt;：排放因子取自国家温室气体核算指南缺省值和公布的全国电网排放因子（resources/factors）；碳汇因子取自省级 LULUCF 核算和 Nowak 等 2013（resources/factors/sink_factors.csv）；太阳辐射气候数据取自中国标准气象数据 CSWD 典型年（resources/solar）；层高和屋面分类取自中国建筑规范与工程实践（resources/defaults）；指标取自国家零碳园区建设指标体系（试行，2025）。底图（仅在允许联网时）：© OpenStreetMap 贡献者，© 天地图。示例园区为虚构数据。&lt;/p&gt;&lt;p&gt;Qt {1} · PySide6&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../../app/gui/main_window.py" line="565" />
            <source>About Lingtan</source>
            <translation>关于零碳</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_actions.py" line="272" />
            <source>(choose a layer in the Layers panel)</source>
            <translation>（请先在图层面板中选择图层）</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_actions.py" line="284" />
            <source>&amp;Undo</source>
            <translation>撤销(&amp;U)</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_actions.py" line="284" />
            <source>&amp;Redo</source>
            <translation>重做(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_data.py" line="52" />
            <source>Added {0} ({1:,} features)</source>
            <translation>已添加 {0}（{1:,} 个要素）</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_data.py" line="75" />
            <source>Added {0} ({1:,} × {2:,} cells)</source>
            <translation>已添加 {0}（{1:,} × {2:,} 个像元）</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_data.py" line="82" />
            <source>Read the file again with this coordinate system:</source>
            <translation>用以下坐标系重新读取文件：</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_data.py" line="96" />
            <source>Read the attribute text again as:</source>
            <translation>按以下编码重新读取属性文字：</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_docks.py" line="206" />
            <source>Layers</source>
            <translation>图层</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_docks.py" line="209" />
            <source>Attribute Table</source>
            <translation>属性表</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_docks.py" line="214" />
            <source>Dashboard</source>
            <translation>结果面板</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_docks.py" line="217" />
            <source>Identify Results</source>
            <translation>识别结果</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="78" />
            <source>Nothing to export</source>
            <translation>没有可导出的内容</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="78" />
            <source>Open a park or add data first.</source>
            <translation>请先打开园区或添加数据。</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="106" />
            <source>Report</source>
            <translation>报告</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="106" />
            <location filename="../../app/gui/window_exports.py" line="227" />
            <source>Run the analyses first.</source>
            <translation>请先运行分析。</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="110" />
            <location filename="../../app/gui/window_exports.py" line="125" />
            <source>Report (PDF)</source>
            <translation>报告（PDF）</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="110" />
            <source>report</source>
            <translation>报告</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="125" />
            <source>Preparing organisation on the cover (may be left empty):</source>
            <translation>封面上的编制单位（可留空）：</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="132" />
            <source>Writing the report</source>
            <translation>正在生成报告</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="134" />
            <source>Report written: {0}</source>
            <translation>报告已生成：{0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="173" />
            <source>Exporting layers</source>
            <translation>正在导出图层</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="173" />
            <location filename="../../app/gui/window_exports.py" line="238" />
            <source>Exported to {0}</source>
            <translation>已导出到 {0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="182" />
            <location filename="../../app/gui/window_exports.py" line="200" />
            <source>Map image</source>
            <translation>地图图片</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="200" />
            <source>Map image written: {0}</source>
            <translation>地图图片已保存：{0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="209" />
            <location filename="../../app/gui/window_exports.py" line="215" />
            <source>Web map</source>
            <translation>网页地图</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="216" />
            <source>Web map written: {0}</source>
            <translation>网页地图已保存：{0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="227" />
            <source>Export</source>
            <translation>导出</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="230" />
            <source>Export all results to folder</source>
            <translation>导出全部结果到文件夹</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_exports.py" line="236" />
            <source>Exporting results</source>
            <translation>正在导出结果</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_actions.py" line="265" />
            <source>(none)</source>
            <translation>（无）</translation>
        </message>
        <message>
            <location filename="../../app/gui/window_data.py" line="95" />
            <source>Text encoding</source>
            <translation>文字编码</translation>
        </message>
    </context>
    <context>
        <name>MapActions</name>
        <message>
            <location filename="../../app/gui/map_tools.py" line="437" />
            <location filename="../../app/gui/main_window.py" line="397" />
            <source>Pan</source>
            <translation>平移</translation>
        </message>
        <message>
            <location filename="../../app/gui/map_tools.py" line="438" />
            <location filename="../../app/gui/main_window.py" line="397" />
            <source>Zoom to Box</source>
            <translation>拉框放大</translation>
        </message>
        <message>
            <location filename="../../app/gui/map_tools.py" line="439" />
            <location filename="../../app/gui/main_window.py" line="397" />
            <source>Identify Features</source>
            <translation>识别要素</translation>
        </message>
        <message>
            <location filename="../../app/gui/map_tools.py" line="440" />
            <location filename="../../app/gui/main_window.py" line="398" />
            <source>Select Features</source>
            <translation>选择要素</translation>
        </message>
        <message>
            <location filename="../../app/gui/map_tools.py" line="441" />
            <location filename="../../app/gui/main_window.py" line="398" />
            <source>Measure Distance</source>
            <translation>量测距离</translation>
        </message>
        <message>
            <location filename="../../app/gui/map_tools.py" line="442" />
            <location filename="../../app/gui/main_window.py" line="399" />
            <source>Measure Area</source>
            <translation>量测面积</translation>
        </message>
        <message>
            <location filename="../../app/gui/map_tools.py" line="443" />
            <location filename="../../app/gui/main_window.py" line="399" />
            <source>Zoom Full</source>
            <translation>全图显示</translation>
        </message>
        <message>
            <location filename="../../app/gui/map_tools.py" line="444" />
            <location filename="../../app/gui/main_window.py" line="400" />
            <source>Zoom to Selection</source>
            <translation>缩放到选中要素</translation>
        </message>
        <message>
            <location filename="../../app/gui/map_tools.py" line="445" />
            <location filename="../../app/gui/main_window.py" line="400" />
            <source>Zoom In</source>
            <translation>放大</translation>
        </message>
        <message>
            <location filename="../../app/gui/map_tools.py" line="446" />
            <location filename="../../app/gui/main_window.py" line="401" />
            <source>Zoom Out</source>
            <translation>缩小</translation>
        </message>
        <message>
            <location filename="../../app/gui/map_tools.py" line="447" />
            <location filename="../../app/gui/main_window.py" line="401" />
            <source>Clear Selection</source>
            <translation>清除选择</translation>
        </message>
    </context>
    <context>
        <name>MapCanvas</name>
        <message>
            <location filename="../../app/gui/canvas.py" line="549" />
            <source>No features here</source>
            <translation>此处没有要素</translation>
        </message>
    </context>
    <context>
        <name>MapTools</name>
        <message>
            <location filename="../../app/gui/map_tools.py" line="48" />
            <source>%1 m</source>
            <translation>%1 米</translation>
        </message>
        <message>
            <location filename="../../app/gui/map_tools.py" line="49" />
            <source>%1 km</source>
            <translation>%1 公里</translation>
        </message>
        <message>
            <location filename="../../app/gui/map_tools.py" line="55" />
            <location filename="../../app/gui/map_tools.py" line="58" />
            <source>%1 m²</source>
            <translation>%1 平方米</translation>
        </message>
        <message>
            <location filename="../../app/gui/map_tools.py" line="57" />
            <source>%1 ha</source>
            <translation>%1 公顷</translation>
        </message>
        <message>
            <location filename="../../app/gui/map_tools.py" line="60" />
            <source>%1 km²</source>
            <translation>%1 平方公里</translation>
        </message>
        <message>
            <location filename="../../app/gui/map_tools.py" line="132" />
            <source>Drag to move the map; the mouse wheel zooms about the cursor</source>
            <translation>拖动以移动地图；滚动鼠标滚轮以光标为中心缩放</translation>
        </message>
        <message>
            <location filename="../../app/gui/map_tools.py" line="218" />
            <source>Drag a box to zoom to it; click to zoom in, Shift+click to zoom out</source>
            <translation>拉框放大到框选范围；单击放大，Shift+单击缩小</translation>
        </message>
        <message>
            <location filename="../../app/gui/map_tools.py" line="245" />
            <source>Click a feature to see its attributes</source>
            <translation>单击要素查看其属性</translation>
        </message>
        <message>
            <location filename="../../app/gui/map_tools.py" line="266" />
            <source>Click or drag a box to select; Shift adds, Ctrl removes</source>
            <translation>单击或拉框选择；按住 Shift 添加，按住 Ctrl 移除</translation>
        </message>
        <message>
            <location filename="../../app/gui/map_tools.py" line="296" />
            <source>Click to add points; double-click or Enter to finish, Backspace to undo, Esc to cancel</source>
            <translation>单击添加点；双击或按 Enter 结束，Backspace 撤销，Esc 取消</translation>
        </message>
        <message>
            <location filename="../../app/gui/map_tools.py" line="380" />
            <source>Distance: %1</source>
            <translation>距离：%1</translation>
        </message>
        <message>
            <location filename="../../app/gui/map_tools.py" line="383" />
            <source>Area: %1</source>
            <translation>面积：%1</translation>
        </message>
        <message>
            <location filename="../../app/gui/map_tools.py" line="384" />
            <source>Perimeter: %1</source>
            <translation>周长：%1</translation>
        </message>
    </context>
    <context>
        <name>NewParkWizard</name>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="86" />
            <source>Height</source>
            <translation>高度</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="86" />
            <source>Floors</source>
            <translation>层数</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="86" />
            <source>Use</source>
            <translation>用途</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="86" />
            <source>Roof type</source>
            <translation>屋面类型</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="87" />
            <source>Enterprise id</source>
            <translation>企业代码</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="101" />
            <source>{0} ha ({1} mu), {2} feature(s)</source>
            <translation>{0} 公顷（{1} 亩），{2} 个要素</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="137" />
            <source>field {0}</source>
            <translation>字段 {0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="137" />
            <location filename="../../app/gui/new_park_wizard.py" line="400" />
            <location filename="../../app/gui/new_park_wizard.py" line="407" />
            <location filename="../../app/gui/siting_array_tab.py" line="282" />
            <location filename="../../app/gui/window_actions.py" line="265" />
            <source>(none)</source>
            <translation>（无）</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="167" />
            <source>Park boundary (red line)</source>
            <translation>园区红线</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="168" />
            <source>Choose the polygon layer of the red line (only its selected feature, if you like), read it from a file, or draw the red line on the map.</source>
            <translation>选择红线所在的面图层（可只用其中选中的要素），从文件读取，或在地图上绘制红线。</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="174" />
            <source>Red line layer</source>
            <translation>红线图层</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="179" />
            <source>Draw on the Map…</source>
            <translation>在地图上绘制…</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="181" />
            <source>Click the corners on the map; double-click or Enter finishes, Backspace removes the last corner, Esc cancels. Corners snap to vertices of the visible layers.</source>
            <translation>在地图上依次单击红线的各个拐点；双击或按回车结束，退格键删除上一个拐点，Esc 取消。拐点会吸附到可见图层的顶点。</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="196" />
            <location filename="../../app/gui/new_park_wizard.py" line="266" />
            <source>Red line</source>
            <translation>红线</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="204" />
            <source>(choose a layer or draw the red line)</source>
            <translation>（请选择图层或绘制红线）</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="221" />
            <source>Only the selected features ({0})</source>
            <translation>只用选中的要素（{0} 个）</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="227" />
            <source>(no polygon layer on the map)</source>
            <translation>（地图上没有面图层）</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="227" />
            <source>(none chosen yet)</source>
            <translation>（尚未选择）</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="254" />
            <source>Buildings and their fields</source>
            <translation>建筑及其字段</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="255" />
            <source>Which field gives each building's height, floors, use, roof type and enterprise? Guessed from the usual names; change any of them.</source>
            <translation>哪个字段表示建筑的高度、层数、用途、屋面类型和所属企业？已按常见字段名猜测，可逐项修改。</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="263" />
            <location filename="../../app/gui/siting_array_tab.py" line="215" />
            <source>Buildings layer</source>
            <translation>建筑图层</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="372" />
            <source>{0} buildings of the file in the red line's extent: more than a park takes ({1}); draw a smaller red line</source>
            <translation>文件中红线外包范围内有 {0} 栋建筑，超过园区一次可处理的 {1} 栋；请划定较小的红线</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="374" />
            <source>{0} buildings of the file in the red line's extent (by their bounding boxes; the park keeps those inside the red line)</source>
            <translation>文件中红线外包范围内有 {0} 栋建筑（按外包框计；建园区时只保留红线内的）</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="386" />
            <source>{0} buildings inside the red line, {1} outside</source>
            <translation>红线内 {0} 栋建筑，红线外 {1} 栋</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="388" />
            <source> (left out)</source>
            <translation>（红线外的将去掉）</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="407" />
            <source>Guessed: {0}</source>
            <translation>猜测为：{0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="409" />
            <source>Fields found ({0}): {1}</source>
            <translation>图层中的字段（{0} 个）：{1}</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="487" />
            <source>{0} (field {1}): {2} value(s) cannot be read, e.g. {3}</source>
            <translation>{0}（字段 {1}）：{2} 个值无法读取，如 {3}</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="490" />
            <source>Values that cannot be read:</source>
            <translation>无法读取的值：</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="493" />
            <source>Every value of the chosen fields can be read.</source>
            <translation>所选字段的值都能读取。</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="508" />
            <source>Other data and parameters</source>
            <translation>其他数据与参数</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="509" />
            <source>Optional: green space, tree rows, townships, roads, water, the enterprise energy table and the township statistics; the park's name.</source>
            <translation>可选：绿地、行道树、乡镇街道、道路、水体、企业能耗表和乡镇统计表；园区名称。</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="552" />
            <source>New Park</source>
            <translation>新建园区</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="555" />
            <source>Create Park</source>
            <translation>创建园区</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="613" />
            <source>From file…</source>
            <translation>从文件…</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="615" />
            <source>Read a GIS file (Shapefile, GeoPackage, GeoJSON, DXF, KML, CSV or Excel with coordinates …) as File → Add Data does, add it to the map and use it here</source>
            <translation>读取 GIS 文件（Shapefile、GeoPackage、GeoJSON、DXF、KML、带坐标的 CSV 或 Excel 等），与“文件 → 添加数据”相同，加到地图上并在此使用</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="661" />
            <location filename="../../app/gui/open_data.py" line="748" />
            <location filename="../../app/gui/parquet_layer.py" line="37" />
            <location filename="../../app/gui/parquet_layer.py" line="111" />
            <location filename="../../app/gui/parquet_layer.py" line="219" />
            <source>Reading {0}</source>
            <translation>正在读取 {0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/new_park_wizard.py" line="140" />
            <source>(as the park reads it)</source>
            <translation>（园区采用）</translation>
        </message>
    </context>
    <context>
        <name>OpenData</name>
        <message>
            <location filename="../../app/gui/open_data.py" line="80" />
            <source>GIS files</source>
            <translation>GIS 文件</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="82" />
            <source>Shapefile</source>
            <translation>Shapefile</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="82" />
            <source>GeoPackage</source>
            <translation>GeoPackage</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="83" />
            <source>GeoJSON</source>
            <translation>GeoJSON</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="83" />
            <source>KML/KMZ</source>
            <translation>KML/KMZ</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="84" />
            <source>CAD drawing</source>
            <translation>CAD 图纸</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="85" />
            <source>Tables with coordinates or WKT</source>
            <translation>含坐标或 WKT 的表格</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="86" />
            <source>Attribute tables (dBase, also without .shp)</source>
            <translation>属性表（dBase，也可没有 .shp）</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="87" />
            <source>Rasters (GeoTIFF, IMG, ASCII grid)</source>
            <translation>栅格（GeoTIFF、IMG、ASCII 格网）</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="87" />
            <source>All files</source>
            <translation>所有文件</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="126" />
            <location filename="../../app/gui/open_data.py" line="329" />
            <location filename="../../app/gui/open_data.py" line="607" />
            <source>Coordinate system</source>
            <translation>坐标系</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="133" />
            <source>Suggested: {0} ({1})</source>
            <translation>推荐：{0}（{1}）</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="134" />
            <source>CGCS2000 longitude/latitude (EPSG:4490)</source>
            <translation>CGCS2000 经纬度（EPSG:4490）</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="135" />
            <source>WGS84 longitude/latitude, GPS (EPSG:4326)</source>
            <translation>WGS84 经纬度，GPS（EPSG:4326）</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="136" />
            <source>GCJ-02 longitude/latitude: Amap (高德) / Tencent (腾讯) maps</source>
            <translation>GCJ-02 经纬度：高德 / 腾讯地图</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="138" />
            <source>BD-09 longitude/latitude: Baidu (百度) maps</source>
            <translation>BD-09 经纬度：百度地图</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="139" />
            <source>Gauss–Krüger zone (CGCS2000, Xi'an 1980, Beijing 1954)…</source>
            <translation>高斯-克吕格投影带（CGCS2000、西安 1980、北京 1954）…</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="140" />
            <source>EPSG code or other CRS…</source>
            <translation>EPSG 代码或其他坐标系…</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="147" />
            <source>CGCS2000 (China Geodetic 2000)</source>
            <translation>CGCS2000（2000 国家大地坐标系）</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="148" />
            <source>Xi'an 1980</source>
            <translation>西安 1980</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="149" />
            <source>Beijing 1954</source>
            <translation>北京 1954</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="151" />
            <source>3° zones</source>
            <translation>3 度带</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="152" />
            <source>6° zones</source>
            <translation>6 度带</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="154" />
            <source>Easting starts with the zone number</source>
            <translation>横坐标带带号</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="155" />
            <source>Easting without zone number (give the central meridian)</source>
            <translation>横坐标不带带号（需给出中央经线）</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="164" />
            <source>Datum</source>
            <translation>大地基准</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="165" />
            <source>Zone width</source>
            <translation>分带宽度</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="166" />
            <source>Coordinates</source>
            <translation>坐标</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="167" />
            <source>Zone number</source>
            <translation>带号</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="168" />
            <source>Central meridian</source>
            <translation>中央经线</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="185" />
            <source>The data's coordinate system:</source>
            <translation>数据的坐标系：</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="241" />
            <source>Enter a coordinate system.</source>
            <translation>请输入坐标系。</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="258" />
            <source>Choose layers</source>
            <translation>选择图层</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="270" />
            <source>{0} holds several layers. Add:</source>
            <translation>{0} 包含多个图层。添加：</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="300" />
            <source>from the file</source>
            <translation>取自文件</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="300" />
            <location filename="../../app/gui/open_data.py" line="307" />
            <source>chosen by you</source>
            <translation>由您指定</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="301" />
            <source>assumed from the lon/lat range</source>
            <translation>根据经纬度范围推定</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="301" />
            <source>unknown</source>
            <translation>未知</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="306" />
            <source>.cpg file</source>
            <translation>.cpg 文件</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="306" />
            <source>DBF language byte</source>
            <translation>DBF 语言标识字节</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="307" />
            <source>detected from the text</source>
            <translation>根据文字内容检测</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="308" />
            <source>fixed by the format</source>
            <translation>由格式规定</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="319" />
            <location filename="../../app/gui/open_data.py" line="604" />
            <location filename="../../app/gui/siting_wind_tab.py" line="290" />
            <source>File</source>
            <translation>文件</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="319" />
            <location filename="../../app/gui/open_data.py" line="604" />
            <source>Format</source>
            <translation>格式</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="321" />
            <source>Layer</source>
            <translation>图层</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="327" />
            <location filename="../../app/gui/window_data.py" line="95" />
            <source>Text encoding</source>
            <translation>文字编码</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="332" />
            <source>Web-map offset</source>
            <translation>网络地图偏移</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="333" />
            <source>{0} coordinates converted to WGS84</source>
            <translation>已将 {0} 坐标转换为 WGS84</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="334" />
            <source>Features</source>
            <translation>要素</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="336" />
            <source>Geometry</source>
            <translation>几何</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="338" />
            <source>Fields</source>
            <translation>字段</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="346" />
            <source>Problems and repairs</source>
            <translation>问题与修复</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="357" />
            <source>No problems found.</source>
            <translation>未发现问题。</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="369" />
            <source>Read again with another CRS…</source>
            <translation>用其他坐标系重新读取…</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="373" />
            <source>Read again with another text encoding…</source>
            <translation>用其他编码重新读取…</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="393" />
            <source>Data added: {0}</source>
            <translation>已添加数据：{0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="405" />
            <source>For example longitude/latitude copied from Amap or Baidu (GCJ-02 / BD-09)</source>
            <translation>例如从高德或百度地图复制的经纬度（GCJ-02 / BD-09）</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="414" />
            <source>For attribute text that shows as garbled characters</source>
            <translation>属性文字显示为乱码时使用</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="605" />
            <source>Size</source>
            <translation>大小</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="605" />
            <source>{0:,} × {1:,} cells, {2} band(s), {3}</source>
            <translation>{0:,} × {1:,} 个像元，{2} 个波段，{3}</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="608" />
            <source>Resolution</source>
            <translation>分辨率</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="609" />
            <location filename="../../app/gui/open_data.py" line="616" />
            <source>No data</source>
            <translation>无数据值</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="609" />
            <source>none</source>
            <translation>无</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="610" />
            <source>Shown</source>
            <translation>显示</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="610" />
            <source>RGB image</source>
            <translation>RGB 影像</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="610" />
            <source>band {0}</source>
            <translation>第 {0} 波段</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="616" />
            <source>Band</source>
            <translation>波段</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="616" />
            <source>Min</source>
            <translation>最小值</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="616" />
            <source>Max</source>
            <translation>最大值</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="616" />
            <source>Mean</source>
            <translation>平均值</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="616" />
            <source>Std. dev.</source>
            <translation>标准差</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="616" />
            <source>Valid cells</source>
            <translation>有效像元</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="669" />
            <location filename="../../app/gui/open_data.py" line="746" />
            <source>Add data</source>
            <translation>添加数据</translation>
        </message>
        <message>
            <location filename="../../app/gui/parquet_layer.py" line="59" />
            <source>Added {0} ({1:,} features; drawn by view)</source>
            <translation>已添加 {0}（{1:,} 个要素，按视图读取）</translation>
        </message>
        <message>
            <location filename="../../app/gui/parquet_layer.py" line="154" />
            <source>GeoParquet layers not found</source>
            <translation>找不到 GeoParquet 图层</translation>
        </message>
        <message>
            <location filename="../../app/gui/parquet_layer.py" line="156" />
            <source>The project opened without them. Put the files back (or next to the project) and open the project again.</source>
            <translation>项目已打开，但不含这些图层。请把文件放回原处（或放在项目文件旁），再重新打开项目。</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="617" />
            <source>Band statistics</source>
            <translation>波段统计</translation>
        </message>
        <message>
            <location filename="../../app/gui/open_data.py" line="748" />
            <source>Reading {0}</source>
            <translation>正在读取 {0}</translation>
        </message>
    </context>
    <context>
        <name>PVDialog</name>
        <message>
            <location filename="../../app/gui/analyses.py" line="494" />
            <source>Rooftop PV</source>
            <translation>屋顶光伏</translation>
        </message>
        <message>
            <location filename="../../app/gui/analyses.py" line="502" />
            <source>Defaults: built-in climatology; shading on; 14 % losses (PVWatts v5); 575 W modules (TOPCon, 2.278 × 1.134 m); tilt and azimuth from the roof type; the factor set's grid factor. Hover over a field for its source.</source>
            <translation>默认：内置气候数据；计算遮挡；损失 14%（PVWatts v5）；575 W 组件（TOPCon，2.278 × 1.134 米）；倾角和方位角按屋面类型；因子集的电网因子。鼠标悬停在各项上可查看来源。</translation>
        </message>
    </context>
    <context>
        <name>PathwaysPanel</name>
        <message>
            <location filename="../../app/gui/pathways_editor.py" line="44" />
            <source>Edit {0}</source>
            <translation>编辑{0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_editor.py" line="61" />
            <location filename="../../app/gui/pathways_editor.py" line="206" />
            <source>Edit scenario</source>
            <translation>编辑情景</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_editor.py" line="73" />
            <location filename="../../app/gui/profile_editor.py" line="448" />
            <source> (edited)</source>
            <translation>（修改）</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_editor.py" line="75" />
            <source>Key</source>
            <translation>标识</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_editor.py" line="76" />
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_editor.py" line="77" />
            <source>Values, periods and sources can be edited. The key natural, baseline or enhanced replaces that scenario; another key adds one. Kept in the project.</source>
            <translation>可编辑数值、时期和来源。标识为 natural、baseline 或 enhanced 时替换该默认情景（自然、基准、强化），其他标识则新增情景。情景保存在项目中。</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_editor.py" line="84" />
            <source>Parameter</source>
            <translation>参数</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_editor.py" line="84" />
            <source>Sector</source>
            <translation>部门</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_editor.py" line="84" />
            <source>Fuel</source>
            <translation>能源品种</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_editor.py" line="84" />
            <source>Period or year</source>
            <translation>时期/年份</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_editor.py" line="85" />
            <source>Source</source>
            <translation>来源</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_editor.py" line="93" />
            <location filename="../../app/gui/profile_editor.py" line="565" />
            <source>Undo</source>
            <translation>撤销</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_editor.py" line="94" />
            <location filename="../../app/gui/profile_editor.py" line="566" />
            <source>Redo</source>
            <translation>重做</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_editor.py" line="105" />
            <source>Save and recompute</source>
            <translation>保存并重新推演</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_editor.py" line="130" />
            <source>all</source>
            <translation>全部</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_editor.py" line="197" />
            <source>edited scenario</source>
            <translation>编辑的情景</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_panel.py" line="225" />
            <source>not by 2060</source>
            <translation>2060 前未达峰</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_panel.py" line="298" />
            <source>{0}: abates {1} t CO₂/yr at {2} yuan/t CO₂, from {3}</source>
            <translation>{0}：减排 {1} 吨CO₂/年，成本 {2} 元/吨CO₂，{3} 年起</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_panel.py" line="314" />
            <source>{0}: {1} t (−{2}%) · {3} t (base) · {4} t (+{2}%); peak {5}/{6}/{7}</source>
            <translation>{0}：{1} 吨（−{2}%）· {3} 吨（基准）· {4} 吨（+{2}%）；达峰 {5}/{6}/{7}</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_panel.py" line="346" />
            <location filename="../../app/gui/pathways_panel.py" line="353" />
            <source>Load scenarios</source>
            <translation>载入情景表</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_panel.py" line="347" />
            <source>Tables (*.csv *.xlsx *.xls);;All files (*)</source>
            <translation>表格 (*.csv *.xlsx *.xls);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_panel.py" line="397" />
            <source>Emission pathways to 2060</source>
            <translation>2060 年碳排放路径</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_panel.py" line="398" />
            <source>No pathways yet. Run All adds them when the park has an energy table; or choose Processing → Carbon → Pathways to 2060.</source>
            <translation>尚无碳排放路径。园区有企业能耗表时，“全部运行”会推演各情景至 2060 年；也可选择 处理 → 碳排放 → 2060 碳排放路径。</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_panel.py" line="404" />
            <source>Base year {0} · indicator ≤ {1} t CO₂/tce · hover a chart for values</source>
            <translation>基准年 {0} · 指标 ≤ {1} 吨CO₂/吨标准煤 · 鼠标悬停查看数值</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_panel.py" line="406" />
            <location filename="../../app/gui/pathways_panel.py" line="426" />
            <source>Pathways</source>
            <translation>路径</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_panel.py" line="406" />
            <location filename="../../app/gui/trends_panel.py" line="256" />
            <source>By sector</source>
            <translation>按部门</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_panel.py" line="406" />
            <source>MACC</source>
            <translation>边际减排成本</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_panel.py" line="406" />
            <source>Sensitivity</source>
            <translation>敏感性</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_panel.py" line="408" />
            <location filename="../../app/gui/pathways_panel.py" line="416" />
            <source>Scenario</source>
            <translation>情景</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_panel.py" line="408" />
            <source>Peak year</source>
            <translation>达峰年</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_panel.py" line="408" />
            <source>Peak t CO₂</source>
            <translation>峰值（吨CO₂）</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_panel.py" line="409" />
            <source>Indicator met</source>
            <translation>达到指标年份</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_panel.py" line="409" />
            <source>Net zero</source>
            <translation>净零年份</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_panel.py" line="409" />
            <source>2030 t CO₂</source>
            <translation>2030 年（吨CO₂）</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_panel.py" line="410" />
            <source>Cumulative to 2060 t CO₂</source>
            <translation>累计至 2060（吨CO₂）</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_panel.py" line="411" />
            <source>Edit scenario…</source>
            <translation>编辑情景…</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_panel.py" line="412" />
            <source>Edit the selected scenario's assumptions and recompute</source>
            <translation>编辑所选情景的假设并重新推演</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_panel.py" line="413" />
            <source>Load scenarios…</source>
            <translation>载入情景表…</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_panel.py" line="414" />
            <source>Add the scenarios of a CSV/Excel file (as resources/pathways/scenarios.csv) and recompute; kept in the project</source>
            <translation>添加 CSV/Excel 情景表（格式同 resources/pathways/scenarios.csv）中的情景并重新推演；保存在项目中</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_editor.py" line="84" />
            <source>Value</source>
            <translation>数值</translation>
        </message>
        <message>
            <location filename="../../app/gui/pathways_editor.py" line="84" />
            <source>Unit</source>
            <translation>单位</translation>
        </message>
    </context>
    <context>
        <name>ProfileEditor</name>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="65" />
            <source>Workday</source>
            <translation>工作日</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="65" />
            <source>Weekend</source>
            <translation>周末</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="65" />
            <source>Holiday</source>
            <translation>节假日</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="80" />
            <source>Assumption: shift hours (one shift 8–12 and 13–17 h, two shifts 8–24 h, three shifts round the clock) over a base load; daily load factors above the GB/T 3485 minima.</source>
            <translation>假设：按班次作息（一班制 8–12 时与 13–17 时，两班制 8–24 时，三班制全天）叠加基础负荷；日负荷率高于 GB/T 3485 的下限。</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="83" />
            <source>JGJ/T 449-2018 Appendix C office schedules (mean of lighting and equipment) over a base load of {0} % (assumption); transcribed, not checked against the printed standard.</source>
            <translation>JGJ/T 449-2018 附录 C 办公建筑作息（照明与设备的平均），叠加 {0}% 基础负荷（假设）；转录自第三方资料，未与标准原文核对。</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="87" />
            <source>GB 55015-2021 Appendix C schedules of this building type (mean of lighting and equipment) over a base load of {0} % (assumption); transcribed, not checked against the printed standard.</source>
            <translation>GB 55015-2021 附录 C 该类建筑作息（照明与设备的平均），叠加 {0}% 基础负荷（假设）；转录自第三方资料，未与标准原文核对。</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="428" />
            <source>Default shape: {0}</source>
            <translation>默认曲线来源：{0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="466" />
            <source>Drag {0}, {1}</source>
            <translation>拖动 {0}·{1}</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="479" />
            <source>{0}:00: type a number of 0 or more.</source>
            <translation>{0}:00：请输入不小于 0 的数。</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="486" />
            <source>Set {0}:00</source>
            <translation>修改 {0}:00</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="492" />
            <location filename="../../app/gui/profile_editor.py" line="569" />
            <source>Restore defaults</source>
            <translation>恢复默认</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="521" />
            <source>Saved: {0}. The hour-by-hour energy analysis uses it (field "Edited load shapes").</source>
            <translation>已保存：{0}。逐时能源平衡分析将使用该文件（“负荷日曲线修改”一栏）。</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="528" />
            <location filename="../../app/gui/profile_editor.py" line="534" />
            <source>Save load shapes</source>
            <translation>保存负荷日曲线</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="528" />
            <source>CSV table (*.csv)</source>
            <translation>CSV 表格 (*.csv)</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="534" />
            <source>Could not write {0}: {1}</source>
            <translation>无法写入 {0}：{1}</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="540" />
            <source>Save the edited load shapes before closing?</source>
            <translation>关闭前保存修改的负荷日曲线吗？</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="556" />
            <source>Edit load profiles</source>
            <translation>编辑负荷曲线</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="557" />
            <source>Load kind</source>
            <translation>负荷类型</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="558" />
            <source>Day type:</source>
            <translation>日类型：</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="559" />
            <source>Relative load</source>
            <translation>相对负荷</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="560" />
            <source>Bars: this day's shape (drag them, or type in the table); dashed line: the shipped default.</source>
            <translation>柱：当前日曲线（可用鼠标拖动，或在右侧表格中输入）；虚线：内置默认曲线。</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="562" />
            <source>Values are relative. In the analysis each edited day keeps the default's energy for that day type, so the shape says when in the day the power is used; the year still adds up to the energy table's electricity.</source>
            <translation>数值为相对值。分析时，修改过的日曲线保持该日类型默认的日用电量，曲线只决定一天中何时用电；全年电量仍等于能耗表中的用电量。</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="567" />
            <source>Undo the last change (Ctrl+Z)</source>
            <translation>撤销上一步修改（Ctrl+Z）</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="568" />
            <source>Redo (Ctrl+Shift+Z)</source>
            <translation>重做（Ctrl+Shift+Z）</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="570" />
            <source>Put back the shipped shape of this kind and day type</source>
            <translation>恢复该负荷类型、该日类型的内置曲线</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="571" />
            <source>Save…</source>
            <translation>保存…</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="572" />
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="574" />
            <source>{0} enterprise row(s) of {1} are kept as they are.</source>
            <translation>{1} 中的 {0} 行企业曲线保持不变。</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="448" />
            <source> (edited)</source>
            <translation>（已修改）</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="565" />
            <source>Undo</source>
            <translation>撤销</translation>
        </message>
        <message>
            <location filename="../../app/gui/profile_editor.py" line="566" />
            <source>Redo</source>
            <translation>重做</translation>
        </message>
    </context>
    <context>
        <name>Progress</name>
        <message>
            <location filename="../../app/gui/tasks.py" line="63" />
            <source>weather</source>
            <translation>气象数据</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="64" />
            <source>rooftop PV</source>
            <translation>屋顶光伏</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="65" />
            <source>roof layouts</source>
            <translation>屋顶组件排布</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="66" />
            <source>roof setbacks</source>
            <translation>屋顶退距</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="67" />
            <source>roof planes</source>
            <translation>屋面分面</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="68" />
            <source>orientation classes</source>
            <translation>朝向分类</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="69" />
            <source>energy</source>
            <translation>发电量计算</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="70" />
            <source>neighbours</source>
            <translation>相邻建筑</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="71" />
            <source>horizons</source>
            <translation>地平线遮挡</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="72" />
            <source>horizons: neighbours</source>
            <translation>地平线遮挡：相邻建筑</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="73" />
            <source>horizons: walls</source>
            <translation>地平线遮挡：墙体</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="74" />
            <source>horizons: preparing the compiled code (about 10 s the first time)</source>
            <translation>地平线遮挡：准备编译代码（首次约 10 秒）</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="75" />
            <source>horizons (DSM)</source>
            <translation>地平线遮挡（DSM）</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="76" />
            <source>shading done</source>
            <translation>遮挡计算完成</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="77" />
            <source>totals</source>
            <translation>汇总</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="78" />
            <source>done</source>
            <translation>完成</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="79" />
            <source>preparing buildings</source>
            <translation>准备建筑数据</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="80" />
            <source>loaded</source>
            <translation>已载入</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="81" />
            <source>township intensity map</source>
            <translation>乡镇碳排放强度图</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="82" />
            <source>analyses done</source>
            <translation>分析完成</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="83" />
            <source>emissions, sinks, balance</source>
            <translation>碳排放、碳汇、碳平衡</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="84" />
            <source>energy table</source>
            <translation>能耗表</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="85" />
            <source>emission factors</source>
            <translation>排放因子</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="86" />
            <source>carbon account done</source>
            <translation>碳核算完成</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="87" />
            <source>statistics table</source>
            <translation>统计表</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="88" />
            <source>five-colour map done</source>
            <translation>五色图完成</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="89" />
            <source>loading the PV model</source>
            <translation>载入光伏模型</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="90" />
            <source>loading libraries</source>
            <translation>载入程序库</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="91" />
            <source>styling layers</source>
            <translation>设置图层样式</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="92" />
            <source>summary</source>
            <translation>汇总</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="93" />
            <source>reading project</source>
            <translation>读取项目</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="94" />
            <source>building the workspace</source>
            <translation>构建工作空间</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="95" />
            <source>writing project</source>
            <translation>写入项目</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="96" />
            <source>writing</source>
            <translation>正在写入</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="97" />
            <source>saved</source>
            <translation>已保存</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="98" />
            <source>reading {0}</source>
            <translation>读取 {0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="99" />
            <source>writing {0}</source>
            <translation>写入 {0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="100" />
            <source>styling {0}</source>
            <translation>设置 {0} 的样式</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="101" />
            <source>page {0}/{1}</source>
            <translation>第 {0}/{1} 页</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="102" />
            <source>report written ({0} s)</source>
            <translation>报告已写入（{0} 秒）</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="103" />
            <source>planning tiles</source>
            <translation>规划分块</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="104" />
            <source>starting the cluster</source>
            <translation>启动计算集群</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="105" />
            <source>planning tiles and starting the cluster</source>
            <translation>规划分块并启动计算集群</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="106" />
            <source>tiles</source>
            <translation>分块</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="107" />
            <source>all tiles done</source>
            <translation>全部分块已完成</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="108" />
            <source>summaries</source>
            <translation>汇总</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="109" />
            <source>tile {0}/{1}</source>
            <translation>分块 {0}/{1}</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="110" />
            <source>tile {0}/{1} ({2} workers)</source>
            <translation>分块 {0}/{1}（{2} 个工作进程）</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="111" />
            <source>searching the file</source>
            <translation>在整个文件中查找</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="112" />
            <source>reading GeoParquet</source>
            <translation>读取 GeoParquet</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="113" />
            <source>extent of the selection</source>
            <translation>计算选中要素的范围</translation>
        </message>
    </context>
    <context>
        <name>ProjectActions</name>
        <message>
            <location filename="../../app/gui/project_actions.py" line="104" />
            <source>Untitled</source>
            <translation>未命名</translation>
        </message>
        <message>
            <location filename="../../app/gui/project_actions.py" line="105" />
            <source>Unsaved changes</source>
            <translation>未保存的更改</translation>
        </message>
        <message>
            <location filename="../../app/gui/project_actions.py" line="106" />
            <source>Save the changes to “{0}” before closing it?</source>
            <translation>关闭前是否保存对“{0}”的更改？</translation>
        </message>
        <message>
            <location filename="../../app/gui/project_actions.py" line="117" />
            <source>an untitled project</source>
            <translation>未命名项目</translation>
        </message>
        <message>
            <location filename="../../app/gui/project_actions.py" line="119" />
            <source>Recover unsaved work</source>
            <translation>恢复未保存的工作</translation>
        </message>
        <message>
            <location filename="../../app/gui/project_actions.py" line="120" />
            <source>Lingtan was not closed properly. Unsaved work on {0} was saved automatically at {1}. Recover it?</source>
            <translation>零碳上次未正常关闭。{0} 中未保存的工作已于 {1} 自动保存。是否恢复？</translation>
        </message>
        <message>
            <location filename="../../app/gui/project_actions.py" line="123" />
            <source>Recover</source>
            <translation>恢复</translation>
        </message>
        <message>
            <location filename="../../app/gui/project_actions.py" line="124" />
            <source>Discard</source>
            <translation>放弃</translation>
        </message>
        <message>
            <location filename="../../app/gui/project_actions.py" line="125" />
            <source>Later</source>
            <translation>以后再说</translation>
        </message>
        <message>
            <location filename="../../app/gui/project_actions.py" line="135" />
            <source>Open project</source>
            <translation>打开项目</translation>
        </message>
        <message>
            <location filename="../../app/gui/project_actions.py" line="136" />
            <source>Lingtan projects (*.lingtan.gpkg);;GeoPackage (*.gpkg);;All files (*)</source>
            <translation>零碳项目 (*.lingtan.gpkg);;GeoPackage (*.gpkg);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="../../app/gui/project_actions.py" line="146" />
            <source>park</source>
            <translation>园区</translation>
        </message>
        <message>
            <location filename="../../app/gui/project_actions.py" line="147" />
            <source>Save project</source>
            <translation>保存项目</translation>
        </message>
        <message>
            <location filename="../../app/gui/project_actions.py" line="148" />
            <source>Lingtan projects (*.lingtan.gpkg)</source>
            <translation>零碳项目 (*.lingtan.gpkg)</translation>
        </message>
        <message>
            <location filename="../../app/gui/project_actions.py" line="208" />
            <source>Opened {0}</source>
            <translation>已打开 {0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/project_actions.py" line="211" />
            <source>Opening {0}</source>
            <translation>正在打开 {0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/project_actions.py" line="247" />
            <source>Saved {0}</source>
            <translation>已保存 {0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/project_actions.py" line="249" />
            <source>Saving {0}</source>
            <translation>正在保存 {0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/project_actions.py" line="315" />
            <source>Autosave failed: {0}</source>
            <translation>自动保存失败：{0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/project_actions.py" line="317" />
            <source>Autosave</source>
            <translation>自动保存</translation>
        </message>
        <message>
            <location filename="../../app/gui/project_actions.py" line="350" />
            <source>Recovered work from {0}</source>
            <translation>已恢复 {0} 的工作</translation>
        </message>
        <message>
            <location filename="../../app/gui/project_actions.py" line="353" />
            <source>Recovering</source>
            <translation>正在恢复</translation>
        </message>
    </context>
    <context>
        <name>QFileDialog</name>
        <message>
            <location filename="../../app/gui/i18n.py" line="22" />
            <source>&amp;Look in:</source>
            <translation>查找范围(&amp;L)：</translation>
        </message>
        <message>
            <location filename="../../app/gui/i18n.py" line="23" />
            <source>Files of &amp;type:</source>
            <translation>文件类型(&amp;T)：</translation>
        </message>
    </context>
    <context>
        <name>RunAllDialog</name>
        <message>
            <location filename="../../app/gui/analyses.py" line="672" />
            <source>Run all analyses</source>
            <translation>运行全部分析</translation>
        </message>
        <message>
            <location filename="../../app/gui/analyses.py" line="685" />
            <source>Rooftop PV with this project's PV settings (default: 575 W modules, 14 % losses, shading on), emissions, sinks, balance and indicators, and the five-colour township map (ratio method) — the same run as lingtan demo. Use the single analyses to change PV or map settings.</source>
            <translation>屋顶光伏（采用本项目的光伏设置；默认：575 W 组件、14% 损失、计算遮挡）、碳排放、碳汇、碳平衡和指标，以及乡镇五色图（比值法）——与 lingtan demo 相同。如需修改光伏或五色图设置，请使用单项分析。</translation>
        </message>
    </context>
    <context>
        <name>SelectDialog</name>
        <message>
            <location filename="../../app/gui/select_dialog.py" line="61" />
            <source>Select by Attribute — %1</source>
            <translation>按属性选择 — %1</translation>
        </message>
        <message>
            <location filename="../../app/gui/select_dialog.py" line="71" />
            <source>A condition on the fields: comparisons (&gt; &gt;= &lt; &lt;= == != = &lt;&gt;), and/or/not, text in quotes; field names with spaces or symbols in `backticks`.</source>
            <translation>字段条件：比较运算（&gt; &gt;= &lt; &lt;= == != = &lt;&gt;）、and/or/not，文本加引号；含空格或符号的字段名用反引号 `` 括起。</translation>
        </message>
        <message>
            <location filename="../../app/gui/select_dialog.py" line="74" />
            <source>New selection</source>
            <translation>新建选择</translation>
        </message>
        <message>
            <location filename="../../app/gui/select_dialog.py" line="74" />
            <source>Add to selection</source>
            <translation>添加到选择</translation>
        </message>
        <message>
            <location filename="../../app/gui/select_dialog.py" line="75" />
            <source>Remove from selection</source>
            <translation>从选择中移除</translation>
        </message>
        <message>
            <location filename="../../app/gui/select_dialog.py" line="75" />
            <source>Select within selection</source>
            <translation>在选择中选择</translation>
        </message>
        <message>
            <location filename="../../app/gui/select_dialog.py" line="82" />
            <source>Fields (double-click to insert)</source>
            <translation>字段（双击插入）</translation>
        </message>
        <message>
            <location filename="../../app/gui/select_dialog.py" line="83" />
            <source>Expression</source>
            <translation>表达式</translation>
        </message>
        <message>
            <location filename="../../app/gui/select_dialog.py" line="84" />
            <source>Mode</source>
            <translation>方式</translation>
        </message>
        <message>
            <location filename="../../app/gui/select_dialog.py" line="121" />
            <source>{0:,} of the {1:,} rows read for the view match; OK searches all {2:,} rows of the file</source>
            <translation>当前视图读入的 {1:,} 行中有 {0:,} 行符合；点“确定”在整个文件的 {2:,} 行中查找</translation>
        </message>
        <message>
            <location filename="../../app/gui/select_dialog.py" line="125" />
            <source>%1 of %2 features match</source>
            <translation>%2 个要素中有 %1 个符合</translation>
        </message>
        <message>
            <location filename="../../app/gui/select_dialog.py" line="179" />
            <source>{0:,} features selected in the whole file ({1:,} match)</source>
            <translation>已在整个文件中选中 {0:,} 个要素（符合条件 {1:,} 个）</translation>
        </message>
        <message>
            <location filename="../../app/gui/select_dialog.py" line="182" />
            <source>Select by attribute in {0}</source>
            <translation>在 {0} 中按属性选择</translation>
        </message>
    </context>
    <context>
        <name>Settings</name>
        <message>
            <location filename="../../app/gui/settings.py" line="293" />
            <source>mu</source>
            <translation>亩</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="169" />
            <source>Settings</source>
            <translation>设置</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="170" />
            <source>General</source>
            <translation>常规</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="171" />
            <source>Carbon</source>
            <translation>碳核算</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="172" />
            <source>Map</source>
            <translation>地图</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="173" />
            <source>Buildings and PV</source>
            <translation>建筑与光伏</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="174" />
            <source>Language</source>
            <translation>语言</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="175" />
            <source>Area unit</source>
            <translation>面积单位</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="176" />
            <source>square metres (m²)</source>
            <translation>平方米（m²）</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="176" />
            <source>hectares (ha)</source>
            <translation>公顷（ha）</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="177" />
            <source>mu (亩, 666.7 m²)</source>
            <translation>亩（666.7 m²）</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="180" />
            <source>Emission factors (region, year)</source>
            <translation>排放因子（地区、年份）</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="183" />
            <source>Indicator set</source>
            <translation>指标体系</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="188" />
            <source>Allow network use (basemap tiles, PVGIS weather downloads)</source>
            <translation>允许联网（底图瓦片、下载 PVGIS 气象数据）</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="190" />
            <source>Off by default: Lingtan works fully offline. Tiles are cached on disk.</source>
            <translation>默认关闭：零碳可完全离线使用。瓦片会缓存在磁盘上。</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="191" />
            <source>Basemap</source>
            <translation>底图</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="192" />
            <source>None</source>
            <translation>无</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="192" />
            <source>OpenStreetMap</source>
            <translation>OpenStreetMap</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="193" />
            <source>Tianditu map (needs a key)</source>
            <translation>天地图矢量（需要密钥）</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="194" />
            <source>Tianditu imagery (needs a key)</source>
            <translation>天地图影像（需要密钥）</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="195" />
            <source>Custom XYZ URL</source>
            <translation>自定义 XYZ 地址</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="198" />
            <source>Tianditu key</source>
            <translation>天地图密钥</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="199" />
            <source>XYZ URL template</source>
            <translation>XYZ 地址模板</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="201" />
            <source>Storey height by building use, for buildings with floors but no height (resources/defaults/storey_heights.csv)</source>
            <translation>各类用途建筑的层高，用于只有层数、没有高度的建筑（resources/defaults/storey_heights.csv）</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="203" />
            <source>Use</source>
            <translation>用途</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="203" />
            <source>Storey height</source>
            <translation>层高</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="206" />
            <source>PV module power</source>
            <translation>光伏组件功率</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="207" />
            <source>PV module length</source>
            <translation>光伏组件长度</translation>
        </message>
        <message>
            <location filename="../../app/gui/settings_dialog.py" line="208" />
            <source>PV module width</source>
            <translation>光伏组件宽度</translation>
        </message>
    </context>
    <context>
        <name>Siting</name>
        <message>
            <location filename="../../app/gui/siting.py" line="50" />
            <source>The park's site climate needs a park: open one, or choose a Weibull distribution or a file</source>
            <translation>园区场址风况需要先打开园区；或改选 Weibull 分布或风资源文件</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="52" />
            <source>Choose a wind resource file (.tab, .csv/.xlsx sector table, .epw or .tif)</source>
            <translation>请选择风资源文件（.tab、.csv/.xlsx 扇区表、.epw 或 .tif）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="54" />
            <source>No map yet: open a park or add data first</source>
            <translation>还没有地图：请先打开园区或添加数据</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="55" />
            <source>Select one or more polygons of the layer first (Select tool)</source>
            <translation>请先在该图层中选择一个或多个面（选择工具）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="56" />
            <source>Draw or choose an array area first</source>
            <translation>请先绘制或选择阵列范围</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="57" />
            <source>The array changed while its yield was computed: compute again</source>
            <translation>计算发电量期间阵列已被修改：请重新计算</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="58" />
            <source>Finding the site's best tilt and azimuth…</source>
            <translation>正在求场址最佳倾角与方位角…</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="59" />
            <source>PV array yield</source>
            <translation>光伏阵列发电量</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="60" />
            <source>Place turbine {0}</source>
            <translation>放置风机 {0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="61" />
            <source>Delete turbine {0}</source>
            <translation>删除风机 {0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="62" />
            <source>Move turbine {0}</source>
            <translation>移动风机 {0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="63" />
            <source>Set turbines</source>
            <translation>设置风机布局</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="64" />
            <source>Draw PV array area</source>
            <translation>绘制光伏阵列范围</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="65" />
            <source>Use selected polygons as PV array area</source>
            <translation>以所选面作为光伏阵列范围</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="66" />
            <source>Clear PV array area</source>
            <translation>清除光伏阵列范围</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="209" />
            <source>Wind</source>
            <translation>风电</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="210" />
            <source>PV array</source>
            <translation>光伏阵列</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="211" />
            <source>Place Turbine</source>
            <translation>放置风机</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="211" />
            <source>Click on the map to place a wind turbine</source>
            <translation>在地图上单击放置风机</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="212" />
            <source>Move Turbine</source>
            <translation>移动风机</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="212" />
            <source>Drag a turbine; results follow while dragging</source>
            <translation>拖动风机；拖动时结果随之更新</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="213" />
            <source>Delete Turbine</source>
            <translation>删除风机</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="213" />
            <location filename="../../app/gui/siting_tools.py" line="289" />
            <source>Click a turbine to delete it</source>
            <translation>单击风机将其删除</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="214" />
            <source>Draw PV Array Area</source>
            <translation>绘制光伏阵列范围</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="214" />
            <source>Click the corners of a ground PV array area</source>
            <translation>单击地面光伏阵列范围的各角点</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="219" />
            <source>Siting: PV arrays and wind turbines</source>
            <translation>选址：光伏阵列与风机</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="220" />
            <source>Place wind turbines and ground PV arrays on the map with live yields, wake losses and constraint checks</source>
            <translation>在地图上布置风机和地面光伏阵列，实时显示发电量、尾流损失和约束检查</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting.py" line="222" />
            <location filename="../../app/gui/siting.py" line="362" />
            <source>Siting</source>
            <translation>选址</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="187" />
            <source>Array area</source>
            <translation>阵列范围</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="188" />
            <source>Draw Area on Map</source>
            <translation>在地图上绘制范围</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="189" />
            <source>Click the corners on the map; double-click or Enter finishes, Backspace removes the last corner, Esc cancels</source>
            <translation>在地图上单击各角点；双击或回车完成，退格键删除最后一个角点，Esc 取消</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="191" />
            <source>Use Selected Polygons</source>
            <translation>使用所选面</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="192" />
            <source>The polygons selected (Select tool) in the chosen layer become the area</source>
            <translation>以所选图层中（用选择工具）选中的面作为阵列范围</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="193" />
            <source>Clear Area</source>
            <translation>清除范围</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="194" />
            <source>Compute Yield</source>
            <translation>计算发电量</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="195" />
            <source>Energy through the rooftop PV chain with row-to-row shading and shading by the park's buildings, land use and avoided CO2 (runs in the background)</source>
            <translation>按屋顶光伏计算链计算发电量，计入前后排遮挡和园区建筑遮挡，以及用地和减排 CO2（后台运行）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="200" />
            <source>Layout</source>
            <translation>排布</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="201" />
            <source>Boundary inset</source>
            <translation>边界内缩</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="202" />
            <source>Inset from the area's edge, default 2 m: fence and perimeter path (engineering judgement)</source>
            <translation>自范围边界内缩，默认 2 m：围栏和环形通道（工程经验）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="204" />
            <source>Building setback</source>
            <translation>建筑退让</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="205" />
            <source>Clear distance from the park's buildings, default 5 m: access/fire path (engineering judgement; local fire rules may ask more). Shading by buildings is computed with the yield</source>
            <translation>与园区建筑的净距，默认 5 m：检修/消防通道（工程经验；地方消防规定可能要求更大）。建筑遮挡在计算发电量时考虑</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="208" />
            <source>Road setback</source>
            <translation>道路退让</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="209" />
            <source>Clear distance from road centrelines, default 5 m: half a 7 m two-lane road + 1.5 m verge</source>
            <translation>与道路中心线的净距，默认 5 m：7 m 双车道的一半 + 1.5 m 路肩</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="211" />
            <location filename="../../app/gui/siting_wind_tab.py" line="332" />
            <source>A line or polygon layer of roads (none in the sample park)</source>
            <translation>道路的线或面图层（示例园区没有）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="212" />
            <source>The polygon layer of buildings kept clear of. Automatic: the park's buildings, else the top visible layer whose name or fields say buildings (建筑, building, footprint; an OSM building field)</source>
            <translation>光伏支架避让的建筑面图层。自动：园区的建筑图层；没有园区时取图层列表中最上面一个可见的、名称或字段表明是建筑的面图层（建筑、building、footprint，或 OSM 的 building 字段）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="216" />
            <source>Roads layer</source>
            <translation>道路图层</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="217" />
            <source>Water layer</source>
            <translation>水体图层</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="218" />
            <source>The polygon layer of open water kept clear of (0 m). Automatic: the park's water, else the top visible layer whose name or fields say water (水, 河, 湖, water; OSM natural=water, landuse=reservoir, waterway). The park's ponds and wetland are always kept clear of</source>
            <translation>光伏支架避让的水面图层（退让 0 m）。自动：园区的水体图层；否则取图层列表中最上面一个可见的、名称或字段表明是水体的面图层（水、河、湖、water，或 OSM 的 natural=water、landuse=reservoir、waterway）。园区绿地中的水塘和湿地总是避让</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="222" />
            <source>Tilt</source>
            <translation>倾角</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="223" />
            <location filename="../../app/gui/siting_array_tab.py" line="227" />
            <location filename="../../app/gui/siting_array_tab.py" line="370" />
            <source>site optimum</source>
            <translation>场址最优</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="224" />
            <source>The tilt with the highest annual kWh/kWp on the site's weather through the yield chain (found once per site, ~0.3 s)</source>
            <translation>按场址气象经发电量计算链求得年单位千瓦发电量最高的倾角（每个场址求一次，约 0.3 s）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="226" />
            <source>Azimuth</source>
            <translation>方位角</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="228" />
            <source>Facing the equator unless turning within ±45° gains ≥ 0.3% (180° = south)</source>
            <translation>朝向赤道，除非在 ±45° 内转向可增发 ≥ 0.3%（180° = 正南）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="230" />
            <source>Row spacing</source>
            <translation>行距</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="231" />
            <source>Winter solstice 9–15 h unshaded</source>
            <translation>冬至日 9–15 时不遮挡</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="232" />
            <source>Ground coverage ratio</source>
            <translation>地面覆盖率 GCR</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="233" />
            <source>Default: the pitch keeps the winter solstice 9:00–15:00 true solar time unshaded (GB 50797-2012 §6.6, exact sun position); or a GCR = slant / pitch</source>
            <translation>默认：行距保证冬至日真太阳时 9:00–15:00 前后排不遮挡（GB 50797-2012 §6.6，精确太阳位置）；或指定 GCR = 斜面长度 / 行距</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="236" />
            <source>Modules</source>
            <translation>组件</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="237" />
            <source>Portrait</source>
            <translation>竖排</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="238" />
            <source>Landscape</source>
            <translation>横排</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="239" />
            <source>Per table (up × along)</source>
            <translation>每个支架（上下 × 沿排）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="240" />
            <source>Default 2 × 14 portrait ("2P", 28 modules): a common fixed-tilt table of Chinese ground plants</source>
            <translation>默认 2 × 14 竖排（“2P”，28 块组件）：国内地面电站常见的固定支架</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="243" />
            <source>Module W, length, width</source>
            <translation>组件功率、长、宽</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="244" />
            <source>Default 575 W, 2.278 × 1.134 m: a current 144-half-cell TOPCon module (DOMAIN.md §5), or the app settings</source>
            <translation>默认 575 W、2.278 × 1.134 m：当前 144 半片 TOPCon 组件（DOMAIN.md §5），或应用设置中的组件</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="280" />
            <source>Automatic: {0}</source>
            <translation>自动：{0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="281" />
            <source>Automatic (none found)</source>
            <translation>自动（未找到）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="366" />
            <source>No array area: draw one on the map or use selected polygons</source>
            <translation>没有阵列范围：在地图上绘制，或使用所选面</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="370" />
            <location filename="../../app/gui/siting_array_tab.py" line="371" />
            <source>given</source>
            <translation>指定</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="371" />
            <source>winter rule</source>
            <translation>冬至日规则</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="374" />
            <source>{0} tables, {1} modules, {2:,.1f} kWp DC; tilt {3:g}°, azimuth {4:g}° ({5}); pitch {6:.2f} m, GCR {7:.2f} ({8}); usable {9:,.0f} of {10:,.0f} m²; {11} m²/kWp. Laid out in {12:.0f} ms</source>
            <translation>{0} 个支架，{1} 块组件，直流 {2:,.1f} kWp；倾角 {3:g}°，方位角 {4:g}°（{5}）；行距 {6:.2f} m，GCR {7:.2f}（{8}）；可用 {9:,.0f} / {10:,.0f} m²；{11} m²/kWp。排布用时 {12:.0f} ms</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="380" />
            <source>PV array laid out in {0:.0f} ms</source>
            <translation>光伏阵列排布用时 {0:.0f} ms</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="392" />
            <source>Capacity {0:,.1f} kWp DC ({1} modules × {2:g} W); yield {3:,.0f} kWh/yr ({4:,.0f} kWh/kWp); row shading {5:.1f}%, building shading {6}; land {7} m²/kWp ({8} mu/MW); avoided {9:,.1f} tCO2/yr ({10})</source>
            <translation>装机直流 {0:,.1f} kWp（{1} 块 × {2:g} W）；年发电量 {3:,.0f} kWh（{4:,.0f} kWh/kWp）；前后排遮挡 {5:.1f}%，建筑遮挡 {6}；用地 {7} m²/kWp（{8} 亩/MW）；年减排 {9:,.1f} tCO2（{10}）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="396" />
            <source>not computed</source>
            <translation>未计算</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_widgets.py" line="47" />
            <source>(no road layer)</source>
            <translation>（无道路图层）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="244" />
            <location filename="../../app/gui/siting_wind_tab.py" line="251" />
            <source>Turbine</source>
            <translation>风机</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="244" />
            <source>AEP MWh/yr</source>
            <translation>年发电量 MWh</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="244" />
            <source>Wake loss %</source>
            <translation>尾流损失 %</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="244" />
            <source>CF</source>
            <translation>容量系数</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="245" />
            <source>Violations</source>
            <translation>冲突</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="246" />
            <source>Violations (click: zoom to it)</source>
            <translation>约束冲突（单击缩放到该处）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="252" />
            <source>Type</source>
            <translation>型号</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="253" />
            <source>Generic turbine (rated kW, rotor, hub)</source>
            <translation>通用风机（额定功率、叶轮直径、轮毂高度）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="255" />
            <source>Bundled power curves (resources/wind/turbines: each file names its source), windpowerlib's offline turbine library (OpenEnergy Database), a power curve CSV of your own, or a generic turbine. Default: ghrepower_fd21_50, a Chinese 50 kW-class small turbine (SWCC-certified curve), as the demo</source>
            <translation>内置功率曲线（resources/wind/turbines，每个文件注明来源）、windpowerlib 离线风机库（OpenEnergy Database）、自有功率曲线 CSV 或通用风机。默认：ghrepower_fd21_50，国产 50 kW 级小型风机（SWCC 认证曲线），与示例相同</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="260" />
            <location filename="../../app/gui/siting_wind_tab.py" line="419" />
            <source>Load power curve CSV…</source>
            <translation>载入功率曲线 CSV…</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="261" />
            <source>Columns wind speed (m/s) and power (kW), optional Ct; '# rotor_diameter_m:' and '# hub_height_m:' lines give the rotor and hub (docs/wind.md)</source>
            <translation>列为风速（m/s）和功率（kW），可选推力系数 Ct；用“# rotor_diameter_m:”和“# hub_height_m:”行给出叶轮直径和轮毂高度（docs/wind.md）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="264" />
            <source>Generic: kW, rotor, hub</source>
            <translation>通用：kW、叶轮、轮毂</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="265" />
            <source>Rated power of the generic turbine (DTU WETB standard curve, Cp 0.49 minus gear, generator and converter losses)</source>
            <translation>通用风机的额定功率（DTU WETB 标准曲线：Cp 0.49，扣除齿轮箱、发电机和变流器损耗）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="267" />
            <source>Rotor diameter</source>
            <translation>叶轮直径</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="268" />
            <location filename="../../app/gui/siting_wind_tab.py" line="269" />
            <source>Hub height</source>
            <translation>轮毂高度</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="270" />
            <source>turbine's own</source>
            <translation>风机自带</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="271" />
            <source>Hub height of every turbine; default: the curve file's, or the lowest the maker offers (windpowerlib)</source>
            <translation>所有风机的轮毂高度；默认：曲线文件给出的高度，或厂家提供的最低高度（windpowerlib）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="275" />
            <source>Wind resource</source>
            <translation>风资源</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="276" />
            <source>Resource</source>
            <translation>风资源</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="277" />
            <source>Park site climate (built-in, as the demo)</source>
            <translation>园区场址风况（内置，同示例）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="277" />
            <source>Weibull A, k</source>
            <translation>Weibull A、k</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="278" />
            <source>File (.tab, sector table, EPW, wind map)</source>
            <translation>文件（.tab、扇区表、EPW、风图谱）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="280" />
            <source>Default: the built-in CSWD climatology's annual mean 10 m speed at the park as a Rayleigh distribution (k = 2), uniform directions, log-law shear over suburban/industrial roughness z0 = 0.4 m (gis.wind.farm.demo_resource)</source>
            <translation>默认：内置 CSWD 气候表在园区处的 10 m 年平均风速，按瑞利分布（k = 2）、各方向均匀，按城郊/工业区粗糙度 z0 = 0.4 m 的对数律切变（gis.wind.farm.demo_resource）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="284" />
            <source>A, k, height</source>
            <translation>A、k、高度</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="285" />
            <source>Weibull scale A (m/s); default 6.0 with k = 2.0: the DOMAIN.md §6 reference case</source>
            <translation>Weibull 尺度参数 A（m/s）；默认 6.0、k = 2.0：DOMAIN.md §6 参考算例</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="287" />
            <source>Weibull shape k</source>
            <translation>Weibull 形状参数 k</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="288" />
            <source>hub height</source>
            <translation>轮毂高度</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="289" />
            <source>Height the Weibull distribution is for; default: the hub height</source>
            <translation>该 Weibull 分布对应的高度；默认：轮毂高度</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="291" />
            <source>WAsP .tab, .csv/.xlsx sector table, .epw or wind-map .tif</source>
            <translation>WAsP .tab、.csv/.xlsx 扇区表、.epw 或风图谱 .tif</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="292" />
            <source>Browse…</source>
            <translation>浏览…</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="293" />
            <source>File height</source>
            <translation>文件高度</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="294" />
            <source>Height of a sector table or a wind map without one in its name (EPW files are 10 m, .tab files say theirs)</source>
            <translation>扇区表或文件名中未注明高度的风图谱的高度（EPW 为 10 m，.tab 文件自带高度）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="296" />
            <source>Shear (land use)</source>
            <translation>切变（下垫面）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="301" />
            <source>Roughness for the shear from the resource height to the hub (resources/wind/roughness.csv); default farmland z0 = 0.1 m, the surroundings of most weather stations (European Wind Atlas)</source>
            <translation>由资源高度外推到轮毂高度所用的粗糙度（resources/wind/roughness.csv）；默认农田 z0 = 0.1 m，即多数气象站周边（欧洲风图谱）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="306" />
            <source>Wakes and constraints</source>
            <translation>尾流与约束</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="307" />
            <source>Wake model</source>
            <translation>尾流模型</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="308" />
            <source>Jensen (k = 0.075)</source>
            <translation>Jensen（k = 0.075）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="308" />
            <source>Bastankhah Gaussian (TI 10%)</source>
            <translation>Bastankhah 高斯模型（湍流强度 10%）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="308" />
            <source>None</source>
            <translation>无</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="310" />
            <source>Jensen/Katic top-hat wake, k = 0.075 (WAsP PARK onshore default); Bastankhah &amp; Porté-Agel 2014 Gaussian, k* from TI 0.10 (Niayifar &amp; Porté-Agel 2016). Both validated against PyWake (docs/wind.md)</source>
            <translation>Jensen/Katic 顶帽尾流，k = 0.075（WAsP PARK 陆上默认值）；Bastankhah &amp; Porté-Agel 2014 高斯尾流，k* 由湍流强度 0.10 求得（Niayifar &amp; Porté-Agel 2016）。两者均已与 PyWake 对比验证（docs/wind.md）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="313" />
            <source>Spacing along, across</source>
            <translation>间距（顺风、横风）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="314" />
            <source>Minimum spacing in rotor diameters: 5 D along the prevailing wind, 3 D across (an ellipse; a circle of 5 D without a prevailing direction). DOMAIN.md §6: 3–5 D crosswind, 5–10 D downwind; lower ends for tight park sites</source>
            <translation>以叶轮直径计的最小间距：主导风向上 5 D，横风向 3 D（椭圆；无主导风向时为 5 D 圆）。DOMAIN.md §6：横风向 3–5 D，顺风向 5–10 D；园区场地紧张时取下限</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="319" />
            <source>Setback buildings</source>
            <translation>建筑退让</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="320" />
            <source>Setback roads</source>
            <translation>道路退让</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="321" />
            <source>Setback boundary</source>
            <translation>红线退让</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="322" />
            <source>auto: {0:g} × tip height</source>
            <translation>自动：{0:g} × 叶尖高度</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="326" />
            <source>Default 1.5 × tip height (resources/wind/setbacks.csv, e.g. Massachusetts DOER model bylaw; unverified for China)</source>
            <translation>默认 1.5 × 叶尖高度（resources/wind/setbacks.csv，如美国马萨诸塞州 DOER 示范条例；国内未核实）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="328" />
            <source>Default 1.1 × tip height: fall-over distance + 10% (UK DfT Circular 02/2013)</source>
            <translation>默认 1.1 × 叶尖高度：倒塌距离 + 10%（英国交通部 DfT Circular 02/2013）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="330" />
            <source>Default 1.1 × tip height: fall-over distance + 10% (Lingtan convention, unverified)</source>
            <translation>默认 1.1 × 叶尖高度：倒塌距离 + 10%（零碳软件约定，未核实）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="333" />
            <source>Noise class</source>
            <translation>声环境功能区</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="334" />
            <source>auto (by building use)</source>
            <translation>自动（按建筑用途）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="336" />
            <source>Class {0}</source>
            <translation>{0} 类</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="337" />
            <source>GB 3096-2008 class of the sensitive buildings: auto = by use (homes, schools, hospitals, elderly care → 1; dormitories, mixed → 2; §4.2, resources/wind/noise_class_by_use.csv). ISO 9613-2 spreading and air absorption; default sound power 104 dB(A) unless the curve gives one</source>
            <translation>敏感建筑的 GB 3096-2008 声环境功能区类别：自动 = 按用途（住宅、学校、医院、养老 → 1 类；宿舍、混合 → 2 类；§4.2，resources/wind/noise_class_by_use.csv）。按 ISO 9613-2 计几何发散和空气吸收；曲线未给出声功率级时默认 104 dB(A)</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="420" />
            <source>Power curves (*.csv *.txt);;All files (*)</source>
            <translation>功率曲线 (*.csv *.txt);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="432" />
            <source>Wind resource file</source>
            <translation>风资源文件</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="433" />
            <source>Wind resources (*.tab *.csv *.xlsx *.epw *.tif *.tiff);;All files (*)</source>
            <translation>风资源 (*.tab *.csv *.xlsx *.epw *.tif *.tiff);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="453" />
            <source>No turbines: choose Place Turbine and click on the map</source>
            <translation>没有风机：选择“放置风机”后在地图上单击</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="458" />
            <source>{0} turbines, {1:,.0f} kW; AEP {2:,.1f} MWh/yr (gross {3:,.1f}), wake loss {4:.2f}%, capacity factor {5:.3f}; air density {6:.3f} kg/m³</source>
            <translation>{0} 台风机，{1:,.0f} kW；年发电量 {2:,.1f} MWh（尾流前 {3:,.1f}），尾流损失 {4:.2f}%，容量系数 {5:.3f}；空气密度 {6:.3f} kg/m³</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="476" />
            <source>No violations of the rules checked</source>
            <translation>已检查的规则均满足</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="476" />
            <source>No violations</source>
            <translation>无约束冲突</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="495" />
            <source>Updated in {0:.0f} ms ({1} turbines; evaluate {2:.0f} ms)</source>
            <translation>已更新，用时 {0:.0f} ms（{1} 台风机；计算 {2:.0f} ms）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="215" />
            <source>Buildings layer</source>
            <translation>建筑图层</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_array_tab.py" line="282" />
            <source>(none)</source>
            <translation>（无）</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_wind_tab.py" line="290" />
            <source>File</source>
            <translation>文件</translation>
        </message>
    </context>
    <context>
        <name>SitingTools</name>
        <message>
            <location filename="../../app/gui/siting_tools.py" line="168" />
            <source>Click to place a turbine; AEP, wake losses and violations update at once</source>
            <translation>单击放置风机；年发电量、尾流损失和约束冲突随即更新</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_tools.py" line="209" />
            <source>Drag a turbine to move it; Esc while dragging puts it back</source>
            <translation>拖动风机以移动；拖动时按 Esc 放回原处</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_tools.py" line="324" />
            <source>Click the corners of the PV array area; double-click or Enter to finish, Backspace removes the last corner, Esc cancels</source>
            <translation>单击光伏阵列范围的各角点；双击或回车完成，退格键删除最后一个角点，Esc 取消</translation>
        </message>
        <message>
            <location filename="../../app/gui/siting_tools.py" line="289" />
            <source>Click a turbine to delete it</source>
            <translation>单击风机将其删除</translation>
        </message>
    </context>
    <context>
        <name>StartPage</name>
        <message>
            <location filename="../../app/gui/start_page.py" line="97" />
            <source>Lingtan · zero-carbon park planning</source>
            <translation>零碳 · 零碳园区规划</translation>
        </message>
        <message>
            <location filename="../../app/gui/start_page.py" line="98" />
            <source>Start with the sample park, or build a park from your own red line and building footprints.</source>
            <translation>可以先打开示例园区，或用自己的园区红线和建筑轮廓新建园区。</translation>
        </message>
        <message>
            <location filename="../../app/gui/start_page.py" line="100" />
            <source>Recent projects</source>
            <translation>最近的项目</translation>
        </message>
    </context>
    <context>
        <name>TaskDialog</name>
        <message>
            <location filename="../../app/gui/tasks.py" line="211" />
            <source>Starting…</source>
            <translation>正在启动…</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="218" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="234" />
            <location filename="../../app/gui/tasks.py" line="351" />
            <source>Cancelling…</source>
            <translation>正在取消…</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="242" />
            <source>{0:.0f} s</source>
            <translation>{0:.0f} 秒</translation>
        </message>
    </context>
    <context>
        <name>Tasks</name>
        <message>
            <location filename="../../app/gui/tasks.py" line="477" />
            <source>Likely coordinate systems:</source>
            <translation>可能的坐标系：</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="487" />
            <source>Lingtan</source>
            <translation>零碳</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="490" />
            <source>The input cannot be used.</source>
            <translation>输入数据无法使用。</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="494" />
            <source>An internal error occurred (a bug in Lingtan).</source>
            <translation>发生内部错误（零碳程序缺陷）。</translation>
        </message>
        <message>
            <location filename="../../app/gui/tasks.py" line="497" />
            <source>Please send the log file to the developers:</source>
            <translation>请将日志文件发送给开发者：</translation>
        </message>
    </context>
    <context>
        <name>Toolbox</name>
        <message>
            <location filename="../../app/gui/toolbox_dialog.py" line="41" />
            <location filename="../../app/gui/toolbox_dialog.py" line="100" />
            <location filename="../../app/gui/toolbox_dialog.py" line="129" />
            <source>Enterprise energy toolbox</source>
            <translation>企业能源工具箱</translation>
        </message>
        <message>
            <location filename="../../app/gui/toolbox_dialog.py" line="44" />
            <source>Search by id or name</source>
            <translation>按企业代码或名称搜索</translation>
        </message>
        <message>
            <location filename="../../app/gui/toolbox_dialog.py" line="59" />
            <source>Choose the enterprise (its carbon-efficiency grade, rooftop PV, PV + storage + green-power package and what each measure does to its grade go into a PDF):</source>
            <translation>选择企业（其碳效等级、屋顶光伏、光伏 + 储能 + 绿电方案以及各项措施对等级的影响将写入 PDF）：</translation>
        </message>
        <message>
            <location filename="../../app/gui/toolbox_dialog.py" line="101" />
            <source>Open or create a park with an enterprise energy table first.</source>
            <translation>请先打开或新建带企业能耗表的园区。</translation>
        </message>
        <message>
            <location filename="../../app/gui/toolbox_dialog.py" line="110" />
            <source>Save the enterprise toolbox PDF</source>
            <translation>保存企业能源工具箱 PDF</translation>
        </message>
        <message>
            <location filename="../../app/gui/toolbox_dialog.py" line="126" />
            <source>Enterprise toolbox written: {0}</source>
            <translation>企业能源工具箱已写出：{0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/toolbox_dialog.py" line="144" />
            <source>Enterprise energy toolbox ({0})…</source>
            <translation>企业能源工具箱（{0}）…</translation>
        </message>
        <message>
            <location filename="../../app/gui/toolbox_dialog.py" line="206" />
            <source>Enterprise Energy Toolbox…</source>
            <translation>企业能源工具箱…</translation>
        </message>
        <message>
            <location filename="../../app/gui/toolbox_dialog.py" line="207" />
            <source>One enterprise's energy, CO2, grade, rooftop PV, PV + storage + green-power package and what each measure does to its grade, as a PDF</source>
            <translation>一家企业的能耗、碳排放、碳效等级、屋顶光伏、光伏 + 储能 + 绿电方案及各项措施对等级的影响（PDF）</translation>
        </message>
    </context>
    <context>
        <name>TrendsPanel</name>
        <message>
            <location filename="../../app/gui/trends_panel.py" line="212" />
            <source>tce</source>
            <translation>吨标准煤</translation>
        </message>
        <message>
            <location filename="../../app/gui/trends_panel.py" line="212" />
            <source>t CO₂</source>
            <translation>吨CO₂</translation>
        </message>
        <message>
            <location filename="../../app/gui/trends_panel.py" line="213" />
            <source>{0} → {1}: {2} {3}, {4}% of what leaves {0}</source>
            <translation>{0} → {1}：{2} {3}，占{0}流出的 {4}%</translation>
        </message>
        <message>
            <location filename="../../app/gui/trends_panel.py" line="231" />
            <source>No carbon flows for this year.</source>
            <translation>该年份没有碳流向数据。</translation>
        </message>
        <message>
            <location filename="../../app/gui/trends_panel.py" line="233" />
            <source>{0}: energy {1} tce · CO₂ of energy use {2} t · deductions {3} t · net {4} t</source>
            <translation>{0} 年：能源投入 {1} 吨标准煤 · 能源活动排放 {2} 吨CO₂ · 扣减 {3} 吨CO₂ · 净排放 {4} 吨CO₂</translation>
        </message>
        <message>
            <location filename="../../app/gui/trends_panel.py" line="245" />
            <source>Energy and CO₂ over the years</source>
            <translation>逐年能耗与碳排放</translation>
        </message>
        <message>
            <location filename="../../app/gui/trends_panel.py" line="246" />
            <source>No trends yet. Run All adds them when the park's energy table has a year column; or choose Processing → Carbon → Trends over years.</source>
            <translation>尚无逐年趋势。园区能耗表含年份列时，“全部运行”会生成；也可选择 处理 → 碳排放 → 逐年趋势与碳流向图。</translation>
        </message>
        <message>
            <location filename="../../app/gui/trends_panel.py" line="251" />
            <source>Years {0}–{1} · baseline {2}</source>
            <translation>年份 {0}–{1} · 基准年 {2}</translation>
        </message>
        <message>
            <location filename="../../app/gui/trends_panel.py" line="253" />
            <source>Sankey year</source>
            <translation>碳流向图年份</translation>
        </message>
        <message>
            <location filename="../../app/gui/trends_panel.py" line="255" />
            <source>Drag to redraw the carbon flows of another year</source>
            <translation>拖动以重绘另一年份的碳流向图</translation>
        </message>
        <message>
            <location filename="../../app/gui/trends_panel.py" line="256" />
            <source>By fuel</source>
            <translation>按能源品种</translation>
        </message>
        <message>
            <location filename="../../app/gui/trends_panel.py" line="258" />
            <source>Energy (tce)</source>
            <translation>能耗（吨标准煤）</translation>
        </message>
        <message>
            <location filename="../../app/gui/trends_panel.py" line="258" />
            <source>CO₂ (t)</source>
            <translation>CO₂（吨）</translation>
        </message>
        <message>
            <location filename="../../app/gui/trends_panel.py" line="270" />
            <source>Trends</source>
            <translation>逐年趋势</translation>
        </message>
        <message>
            <location filename="../../app/gui/trends_panel.py" line="256" />
            <source>By sector</source>
            <translation>按部门</translation>
        </message>
    </context>
    <context>
        <name>Undo</name>
        <message>
            <location filename="../../app/gui/undo.py" line="43" />
            <source>Remove {0}</source>
            <translation>移除 {0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/undo.py" line="59" />
            <source>Add group {0}</source>
            <translation>添加分组 {0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/undo.py" line="80" />
            <source>Rename {0}</source>
            <translation>重命名 {0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/undo.py" line="99" />
            <source>Show {0}</source>
            <translation>显示 {0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/undo.py" line="99" />
            <source>Hide {0}</source>
            <translation>隐藏 {0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/undo.py" line="112" />
            <source>Opacity of {0}</source>
            <translation>{0} 的不透明度</translation>
        </message>
        <message>
            <location filename="../../app/gui/undo.py" line="135" />
            <source>Move {0}</source>
            <translation>移动 {0}</translation>
        </message>
        <message>
            <location filename="../../app/gui/undo.py" line="154" />
            <source>Style of {0}</source>
            <translation>{0} 的样式</translation>
        </message>
    </context>
    <context>
        <name>UserGuide</name>
        <message>
            <location filename="../../app/gui/user_guide.py" line="30" />
            <source>User Guide</source>
            <translation>用户指南</translation>
        </message>
    </context>
    <context>
        <name>WindViews</name>
        <message>
            <location filename="../../app/gui/wind_views.py" line="143" />
            <source>N</source>
            <translation>北</translation>
        </message>
        <message>
            <location filename="../../app/gui/wind_views.py" line="143" />
            <source>E</source>
            <translation>东</translation>
        </message>
        <message>
            <location filename="../../app/gui/wind_views.py" line="143" />
            <source>S</source>
            <translation>南</translation>
        </message>
        <message>
            <location filename="../../app/gui/wind_views.py" line="143" />
            <source>W</source>
            <translation>西</translation>
        </message>
        <message>
            <location filename="../../app/gui/wind_views.py" line="159" />
            <source>Power curve</source>
            <translation>功率曲线</translation>
        </message>
        <message>
            <location filename="../../app/gui/wind_views.py" line="166" />
            <source>Power (kW) at m/s</source>
            <translation>功率（kW）与风速（m/s）</translation>
        </message>
        <message>
            <location filename="../../app/gui/wind_views.py" line="213" />
            <source>Wind rose: blue bars = share of the time the wind blows from each sector; orange line = share of the wind energy (frequency × mean cube of the speed), which sets the prevailing direction of the spacing rule</source>
            <translation>风玫瑰图：蓝色扇形 = 各扇区来风的时间占比；橙色线 = 风能占比（频率 × 风速立方均值），决定间距规则所用的主导风向</translation>
        </message>
        <message>
            <location filename="../../app/gui/wind_views.py" line="230" />
            <source>No wind climate (a wind map without directions)</source>
            <translation>没有风况（风图谱不含风向）</translation>
        </message>
        <message>
            <location filename="../../app/gui/wind_views.py" line="234" />
            <source>Wind rose</source>
            <translation>风玫瑰图</translation>
        </message>
        <message>
            <location filename="../../app/gui/wind_views.py" line="257" />
            <source>Power curve of the chosen turbine at 1.225 kg/m³ (kW over the hub-height wind speed, extended to the cut-out)</source>
            <translation>所选风机在 1.225 kg/m³ 下的功率曲线（kW 对轮毂高度风速，延伸至切出风速）</translation>
        </message>
    </context>
</TS>
