<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>AboutDialog</name>
        <message>
            <source>About Desktop Chat</source>
            <translation>关于桌面聊天</translation>
        </message>
        <message>
            <source>Desktop Chat {version}</source>
            <translation>桌面聊天 {version}</translation>
        </message>
        <message>
            <source>A private chat assistant. Everything stays on this computer.</source>
            <translation>私密的聊天助手。所有内容都留在这台电脑上。</translation>
        </message>
        <message>
            <source>Copy</source>
            <translation>复制</translation>
        </message>
        <message>
            <source>Copy these details, e.g. for a bug report</source>
            <translation>复制这些信息，例如用于报告问题</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>有</translation>
        </message>
        <message>
            <source>no (CPU only)</source>
            <translation>否（仅 CPU）</translation>
        </message>
        <message>
            <source>unknown</source>
            <translation>未知</translation>
        </message>
        <message>
            <source>Settings</source>
            <translation>设置</translation>
        </message>
        <message>
            <source>Conversations</source>
            <translation>对话</translation>
        </message>
        <message>
            <source>Models</source>
            <translation>模型</translation>
        </message>
        <message>
            <source>Knowledge bases</source>
            <translation>知识库</translation>
        </message>
        <message>
            <source>Logs</source>
            <translation>日志</translation>
        </message>
        <message>
            <source>Cache</source>
            <translation>缓存</translation>
        </message>
        <message>
            <source>Version</source>
            <translation>版本</translation>
        </message>
        <message>
            <source>llama.cpp build</source>
            <translation>llama.cpp 构建</translation>
        </message>
        <message>
            <source>GPU offload</source>
            <translation>GPU 加速</translation>
        </message>
        <message>
            <source>CPU features</source>
            <translation>CPU 特性</translation>
        </message>
        <message>
            <source>System</source>
            <translation>系统</translation>
        </message>
    </context>
    <context>
        <name>ApiStatus</name>
        <message numerus="yes">
            <source>Serving %n API request(s); your own questions wait their turn.</source>
            <translation>
                <numerusform>正在处理 %n 个 API 请求；您的提问会排队等候。</numerusform>
            </translation>
        </message>
        <message>
            <source>Waiting for the server's requests…</source>
            <translation>正在等待服务器的请求完成…</translation>
        </message>
        <message>
            <source>The API server is not running: {error}</source>
            <translation>API 服务器未运行：{error}</translation>
        </message>
        <message>
            <source>The API is reachable from other machines (it listens on {address}); requests need the API key.</source>
            <translation>其他计算机可以访问 API（监听 {address}）；请求需要 API 密钥。</translation>
        </message>
    </context>
    <context>
        <name>AttachmentBar</name>
        <message>
            <source>Attach</source>
            <translation>附加</translation>
        </message>
        <message>
            <source>Attach a document (PDF, Word, Markdown, text, HTML, CSV) to this chat</source>
            <translation>向此对话附加文档（PDF、Word、Markdown、文本、HTML、CSV）</translation>
        </message>
        <message>
            <source>Attach a document</source>
            <translation>附加文档</translation>
        </message>
        <message>
            <source>Attach documents</source>
            <translation>附加文档</translation>
        </message>
        <message>
            <source>Documents ({patterns});;All files (*)</source>
            <translation>文档 ({patterns});;所有文件 (*)</translation>
        </message>
    </context>
    <context>
        <name>AttachmentChip</name>
        <message>
            <source>Remove from this chat</source>
            <translation>从此对话中移除</translation>
        </message>
        <message>
            <source>Remove {name} from this chat</source>
            <translation>从此对话中移除 {name}</translation>
        </message>
        <message>
            <source>{name} · read in full</source>
            <translation>{name} · 全文读取</translation>
        </message>
        <message>
            <source>{name} · searched for each question</source>
            <translation>{name} · 每个问题都会检索</translation>
        </message>
        <message>
            <source>{name} · reading… {percent} %</source>
            <translation>{name} · 正在读取… {percent} %</translation>
        </message>
        <message>
            <source>{name} · reading…</source>
            <translation>{name} · 正在读取…</translation>
        </message>
    </context>
    <context>
        <name>Banner</name>
        <message>
            <source>Dismiss</source>
            <translation>关闭</translation>
        </message>
    </context>
    <context>
        <name>ChatHeader</name>
        <message>
            <source>Show or hide the conversations</source>
            <translation>显示或隐藏对话列表</translation>
        </message>
        <message>
            <source>Conversations</source>
            <translation>对话</translation>
        </message>
        <message>
            <source>More</source>
            <translation>更多</translation>
        </message>
    </context>
    <context>
        <name>ChatNotices</name>
        <message>
            <source>Open Models</source>
            <translation>打开模型</translation>
        </message>
        <message>
            <source>No model yet. Open Models to pick a GGUF file or download one.</source>
            <translation>还没有模型。打开“模型”选择一个 GGUF 文件或下载一个。</translation>
        </message>
        <message>
            <source>No model is loaded yet. Wait for it to load, or pick one in Models.</source>
            <translation>尚未加载模型。请等待加载完成，或在“模型”中选择一个。</translation>
        </message>
        <message>
            <source>Searching the knowledge base “{name}”…</source>
            <translation>正在搜索知识库“{name}”…</translation>
        </message>
        <message>
            <source>Drop oldest turns</source>
            <translation>丢弃最早的对话轮次</translation>
        </message>
    </context>
    <context>
        <name>ChatPane</name>
        <message>
            <source>Send</source>
            <translation>发送</translation>
        </message>
        <message>
            <source>New conversation</source>
            <translation>新对话</translation>
        </message>
        <message>
            <source>Loading model… {name}</source>
            <translation>正在加载模型… {name}</translation>
        </message>
        <message>
            <source>No model loaded</source>
            <translation>未加载模型</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>停止</translation>
        </message>
    </context>
    <context>
        <name>ChatTemplateEditor</name>
        <message>
            <source>Custom chat template (Jinja)</source>
            <translation>自定义聊天模板（Jinja）</translation>
        </message>
        <message>
            <source>A Jinja chat template, as found in GGUF files</source>
            <translation>Jinja 聊天模板，格式与 GGUF 文件中的相同</translation>
        </message>
        <message>
            <source>Preview on a sample conversation:</source>
            <translation>在示例对话上预览：</translation>
        </message>
        <message>
            <source>Auto</source>
            <translation>自动</translation>
        </message>
        <message>
            <source>Custom Jinja template</source>
            <translation>自定义 Jinja 模板</translation>
        </message>
        <message>
            <source>Write a chat template, or choose another chat format.</source>
            <translation>请编写聊天模板，或选择其他聊天格式。</translation>
        </message>
        <message>
            <source>The chat template is still being checked. Try again in a moment.</source>
            <translation>正在检查聊天模板，请稍后再试。</translation>
        </message>
    </context>
    <context>
        <name>CitationsView</name>
        <message>
            <source>Sources:</source>
            <translation>来源：</translation>
        </message>
        <message>
            <source>{claim} — not found in the sources</source>
            <translation>{claim} — 在来源中未找到</translation>
        </message>
        <message>
            <source>The answer states this, but none of the sources above says it. Check it.</source>
            <translation>回答中给出了这一内容，但上面的来源都没有提到。请核实。</translation>
        </message>
        <message>
            <source>From {source}, page {page}</source>
            <translation>来自 {source}，第 {page} 页</translation>
        </message>
        <message>
            <source>From {source}</source>
            <translation>来自 {source}</translation>
        </message>
    </context>
    <context>
        <name>Composer</name>
        <message>
            <source>Message the assistant — Enter to send, Shift+Enter for a new line</source>
            <translation>给助手发消息——按 Enter 发送，Shift+Enter 换行</translation>
        </message>
    </context>
    <context>
        <name>ContextMeter</name>
        <message>
            <source>≈ {used} / {total} tokens</source>
            <translation>≈ {used} / {total} 词元</translation>
        </message>
        <message>
            <source>{used} / {total} tokens</source>
            <translation>{used} / {total} 词元</translation>
        </message>
    </context>
    <context>
        <name>ConversationDelegate</name>
        <message>
            <source>Conversation name</source>
            <translation>对话名称</translation>
        </message>
    </context>
    <context>
        <name>ConversationFiles</name>
        <message>
            <source>Open a conversation to export it.</source>
            <translation>请先打开一个对话再导出。</translation>
        </message>
        <message>
            <source>Export conversations</source>
            <translation>导出对话</translation>
        </message>
        <message>
            <source>JSON archive (*.json);;Markdown (*.md)</source>
            <translation>JSON 归档 (*.json);;Markdown (*.md)</translation>
        </message>
        <message>
            <source>Export failed: {error}</source>
            <translation>导出失败：{error}</translation>
        </message>
        <message>
            <source>Exported {n} conversation(s) to {path}.</source>
            <translation>已将 {n} 个对话导出到 {path}。</translation>
        </message>
        <message>
            <source>Import conversations</source>
            <translation>导入对话</translation>
        </message>
        <message>
            <source>JSON archive (*.json)</source>
            <translation>JSON 归档 (*.json)</translation>
        </message>
        <message>
            <source>Imported {n} conversation(s).</source>
            <translation>已导入 {n} 个对话。</translation>
        </message>
    </context>
    <context>
        <name>ConversationList</name>
        <message>
            <source>Pinned</source>
            <translation>已置顶</translation>
        </message>
        <message>
            <source>Today</source>
            <translation>今天</translation>
        </message>
        <message>
            <source>Yesterday</source>
            <translation>昨天</translation>
        </message>
        <message>
            <source>Previous 7 days</source>
            <translation>过去 7 天</translation>
        </message>
        <message>
            <source>Older</source>
            <translation>更早</translation>
        </message>
        <message>
            <source>New chat</source>
            <translation>新对话</translation>
        </message>
    </context>
    <context>
        <name>ConversationSidebar</name>
        <message>
            <source>New chat</source>
            <translation>新对话</translation>
        </message>
        <message>
            <source>Start a new conversation (Ctrl+N)</source>
            <translation>开始新对话 (Ctrl+N)</translation>
        </message>
        <message>
            <source>Search chats…</source>
            <translation>搜索对话…</translation>
        </message>
        <message>
            <source>Search all conversations (Ctrl+K)</source>
            <translation>搜索全部对话 (Ctrl+K)</translation>
        </message>
        <message>
            <source>No conversations yet.
Start one with New chat (Ctrl+N).</source>
            <translation>还没有对话。
点击“新对话”(Ctrl+N) 开始一个。</translation>
        </message>
    </context>
    <context>
        <name>CrashDialog</name>
        <message>
            <source>Something went wrong</source>
            <translation>出了点问题</translation>
        </message>
        <message>
            <source>Desktop Chat ran into an unexpected error. Your conversations are saved, including the answer being written. You can go on working.</source>
            <translation>桌面聊天遇到了意外错误。你的对话已保存，包括正在生成的回答。你可以继续使用。</translation>
        </message>
        <message>
            <source>If it happens again, please report it with the details below. The log is in {path}.</source>
            <translation>如果再次发生，请附上下面的详细信息报告问题。日志位于 {path}。</translation>
        </message>
        <message>
            <source>Copy details</source>
            <translation>复制详细信息</translation>
        </message>
        <message>
            <source>Continue</source>
            <translation>继续</translation>
        </message>
    </context>
    <context>
        <name>DemoPreparer</name>
        <message>
            <source>Preparing the demo's knowledge base…</source>
            <translation>正在准备演示的知识库…</translation>
        </message>
        <message>
            <source>The demo could not be set up: {error}</source>
            <translation>无法准备演示：{error}</translation>
        </message>
    </context>
    <context>
        <name>DesktopChat</name>
        <message>
            <source>Desktop Chat</source>
            <translation>桌面聊天</translation>
        </message>
        <message>
            <source>Desktop Chat cannot start: {reason}{where}. Make that folder writable, or set DESKTOP_CHAT_HOME to a folder you can write, and start it again.</source>
            <translation>桌面聊天无法启动：{reason}{where}。请让该文件夹可写，或将 DESKTOP_CHAT_HOME 设为一个可写的文件夹，然后重新启动。</translation>
        </message>
        <message>
            <source>Try the customer-service demo</source>
            <translation>试用客服演示</translation>
        </message>
        <message>
            <source>{error} Chats in this session will not be kept until the app is restarted.</source>
            <translation>{error} 在重新启动应用之前，本次会话中的聊天不会被保存。</translation>
        </message>
        <message>
            <source>Leave kiosk view</source>
            <translation>离开自助模式</translation>
        </message>
        <message>
            <source>PIN:</source>
            <translation>PIN：</translation>
        </message>
        <message>
            <source>Settings could not be saved ({error}). Check free disk space.</source>
            <translation>无法保存设置（{error}）。请检查磁盘剩余空间。</translation>
        </message>
        <message>
            <source>Some data could not be deleted: {items}</source>
            <translation>有些数据无法删除：{items}</translation>
        </message>
        <message>
            <source>All your data was deleted.</source>
            <translation>你的所有数据已删除。</translation>
        </message>
    </context>
    <context>
        <name>DesktopShell</name>
        <message>
            <source>{names} cannot be opened here: the app opens .gguf models and conversations exported as .json.</source>
            <translation>无法在此打开 {names}：本应用只能打开 .gguf 模型和导出为 .json 的对话。</translation>
        </message>
        <message>
            <source>Desktop Chat closed unexpectedly last time. Your conversations were saved as they were then. The crash report is in {path}.</source>
            <translation>桌面聊天上次意外关闭。你的对话已按当时的状态保存。崩溃报告位于 {path}。</translation>
        </message>
    </context>
    <context>
        <name>DiscoverTab</name>
        <message>
            <source>Search the Hugging Face Hub for GGUF models</source>
            <translation>在 Hugging Face Hub 上搜索 GGUF 模型</translation>
        </message>
        <message>
            <source>Search</source>
            <translation>搜索</translation>
        </message>
        <message>
            <source>Access token…</source>
            <translation>访问令牌…</translation>
        </message>
        <message>
            <source>A Hugging Face token, for gated models</source>
            <translation>Hugging Face 令牌，用于需授权的模型</translation>
        </message>
        <message>
            <source>More results</source>
            <translation>更多结果</translation>
        </message>
        <message>
            <source>Pick a model to see its files.</source>
            <translation>选择一个模型以查看其文件。</translation>
        </message>
        <message>
            <source>Open model card</source>
            <translation>打开模型卡片</translation>
        </message>
        <message>
            <source>Download</source>
            <translation>下载</translation>
        </message>
        <message>
            <source>Recommended models</source>
            <translation>推荐模型</translation>
        </message>
        <message>
            <source>Hub search results</source>
            <translation>Hub 搜索结果</translation>
        </message>
        <message>
            <source>Offline — local models only. Hub search and downloads come back when the model hub can be reached.</source>
            <translation>离线——仅可使用本地模型。连上模型仓库后，Hub 搜索和下载功能即可恢复。</translation>
        </message>
        <message>
            <source>Offline</source>
            <translation>离线</translation>
        </message>
        <message>
            <source>Searching…</source>
            <translation>正在搜索…</translation>
        </message>
        <message>
            <source>(gated)</source>
            <translation>（需申请访问）</translation>
        </message>
        <message>
            <source>No GGUF models match that search.</source>
            <translation>没有符合该搜索的 GGUF 模型。</translation>
        </message>
        <message>
            <source>{n} models found.</source>
            <translation>找到 {n} 个模型。</translation>
        </message>
        <message>
            <source>Offline — the file list needs the model hub.</source>
            <translation>离线——查看文件列表需要连接模型仓库。</translation>
        </message>
        <message>
            <source>Listing the files of {repo}…</source>
            <translation>正在列出 {repo} 的文件…</translation>
        </message>
        <message>
            <source>Recommended</source>
            <translation>推荐</translation>
        </message>
        <message>
            <source>{n} parts</source>
            <translation>{n} 个分卷</translation>
        </message>
        <message>
            <source>Downloaded</source>
            <translation>已下载</translation>
        </message>
        <message>
            <source>This repository has no GGUF files.</source>
            <translation>此仓库中没有 GGUF 文件。</translation>
        </message>
        <message>
            <source>{free} GB of memory is free now.</source>
            <translation>当前空闲内存 {free} GB。</translation>
        </message>
        <message>
            <source>Hugging Face access token</source>
            <translation>Hugging Face 访问令牌</translation>
        </message>
        <message>
            <source>Token for gated models (leave empty to forget it):</source>
            <translation>需授权模型的令牌（留空则删除已保存的令牌）：</translation>
        </message>
        <message>
            <source>The token is kept in the system keyring.</source>
            <translation>令牌已保存在系统密钥环中。</translation>
        </message>
        <message>
            <source>The token was forgotten.</source>
            <translation>令牌已删除。</translation>
        </message>
        <message>
            <source>There is no system keyring, so the token is used until you close the app.</source>
            <translation>系统没有可用的密钥环，令牌只在本次运行期间使用，关闭应用后即失效。</translation>
        </message>
        <message>
            <source>Download a model that may not fit?</source>
            <translation>要下载可能放不下的模型吗？</translation>
        </message>
        <message>
            <source>This model needs about {need} GB; you have {free} GB free. Download anyway?</source>
            <translation>此模型大约需要 {need} GB，而当前空闲 {free} GB。仍要下载吗？</translation>
        </message>
        <message>
            <source>{name} was added to Downloads.</source>
            <translation>{name} 已加入下载列表。</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>模型</translation>
        </message>
        <message>
            <source>Parameters</source>
            <translation>参数量</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>大小</translation>
        </message>
        <message>
            <source>License</source>
            <translation>许可证</translation>
        </message>
        <message>
            <source>Memory</source>
            <translation>内存</translation>
        </message>
        <message>
            <source>Downloads</source>
            <translation>下载量</translation>
        </message>
        <message>
            <source>File</source>
            <translation>文件</translation>
        </message>
        <message>
            <source>Quantization</source>
            <translation>量化</translation>
        </message>
    </context>
    <context>
        <name>DownloadsTab</name>
        <message>
            <source>Nothing is downloading. Pick a model in Discover.</source>
            <translation>当前没有下载任务。可在“发现”中选择模型。</translation>
        </message>
        <message>
            <source>{done} of {total}</source>
            <translation>{done} / {total}</translation>
        </message>
        <message>
            <source>Waiting</source>
            <translation>等待中</translation>
        </message>
        <message>
            <source>Downloading</source>
            <translation>下载中</translation>
        </message>
        <message>
            <source>Paused</source>
            <translation>已暂停</translation>
        </message>
        <message>
            <source>Done</source>
            <translation>已完成</translation>
        </message>
        <message>
            <source>Failed</source>
            <translation>失败</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation>已取消</translation>
        </message>
        <message>
            <source>Downloading {name}…</source>
            <translation>正在下载 {name}…</translation>
        </message>
        <message>
            <source>{n} waiting</source>
            <translation>{n} 个等待中</translation>
        </message>
        <message>
            <source>{n} paused</source>
            <translation>{n} 个已暂停</translation>
        </message>
        <message>
            <source>{n} failed — see Downloads</source>
            <translation>{n} 个失败——请查看“下载”</translation>
        </message>
        <message>
            <source>File</source>
            <translation>文件</translation>
        </message>
        <message>
            <source>Progress</source>
            <translation>进度</translation>
        </message>
        <message>
            <source>Downloaded</source>
            <translation>已下载</translation>
        </message>
        <message>
            <source>Speed</source>
            <translation>速度</translation>
        </message>
        <message>
            <source>Time left</source>
            <translation>剩余时间</translation>
        </message>
        <message>
            <source>State</source>
            <translation>状态</translation>
        </message>
    </context>
    <context>
        <name>EnginesPage</name>
        <message>
            <source>Chat through a server you run elsewhere (llama.cpp's llama-server, vLLM, Ollama, LM Studio) or a cloud provider's OpenAI-compatible API. Your messages go to that server only in chats where you pick one of its models; the chat then shows a “Remote” badge.</source>
            <translation>通过你在别处运行的服务器（llama.cpp 的 llama-server、vLLM、Ollama、LM Studio）或云服务商的 OpenAI 兼容 API 聊天。只有在你选择了该服务器上某个模型的对话中，消息才会发往那里；这时对话会显示“远程”标记。</translation>
        </message>
        <message>
            <source>Add endpoint</source>
            <translation>添加端点</translation>
        </message>
        <message>
            <source>e.g. lab server</source>
            <translation>例如 实验室服务器</translation>
        </message>
        <message>
            <source>llama.cpp llama-server</source>
            <translation>llama.cpp llama-server</translation>
        </message>
        <message>
            <source>Ollama (/v1)</source>
            <translation>Ollama（/v1）</translation>
        </message>
        <message>
            <source>OpenAI-compatible cloud API</source>
            <translation>OpenAI 兼容的云 API</translation>
        </message>
        <message>
            <source>none</source>
            <translation>无</translation>
        </message>
        <message>
            <source>in the system keyring</source>
            <translation>存入系统密钥环</translation>
        </message>
        <message>
            <source>for this session only</source>
            <translation>仅限本次会话</translation>
        </message>
        <message>
            <source>From the server</source>
            <translation>由服务器提供</translation>
        </message>
        <message>
            <source>Default</source>
            <translation>默认</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <source>Engine</source>
            <translation>引擎</translation>
        </message>
        <message>
            <source>Base URL</source>
            <translation>基础 URL</translation>
        </message>
        <message>
            <source>API key</source>
            <translation>API 密钥</translation>
        </message>
        <message>
            <source>Keep the key</source>
            <translation>密钥保存方式</translation>
        </message>
        <message>
            <source>Context size</source>
            <translation>上下文大小</translation>
        </message>
        <message>
            <source>Stall timeout</source>
            <translation>停滞超时</translation>
        </message>
        <message>
            <source>No system keyring works on this computer, so keys are kept for this session only and asked again after a restart.</source>
            <translation>这台计算机上没有可用的系统密钥环，因此密钥只保留到本次会话结束，重启后需要重新输入。</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>保存</translation>
        </message>
        <message>
            <source>Test connection</source>
            <translation>测试连接</translation>
        </message>
        <message>
            <source>Models on this server</source>
            <translation>此服务器上的模型</translation>
        </message>
        <message>
            <source>Use in chat</source>
            <translation>在聊天中使用</translation>
        </message>
        <message>
            <source>Talk to the chosen model in the open chat and in new chats</source>
            <translation>在当前对话和新对话中使用所选模型</translation>
        </message>
        <message>
            <source>For every remote engine</source>
            <translation>适用于所有远程引擎</translation>
        </message>
        <message>
            <source>{n} tokens of context</source>
            <translation>{n} 个词元的上下文</translation>
        </message>
        <message>
            <source>The endpoints could not be saved: {error}</source>
            <translation>无法保存端点：{error}</translation>
        </message>
        <message>
            <source>Saved. The key is kept for this session only: no keyring works here.</source>
            <translation>已保存。此处没有可用的密钥环，密钥仅保留到本次会话结束。</translation>
        </message>
        <message>
            <source>Saved.</source>
            <translation>已保存。</translation>
        </message>
        <message>
            <source>Connecting to {url}…</source>
            <translation>正在连接 {url}…</translation>
        </message>
        <message>
            <source>Connected: {n} model(s).</source>
            <translation>已连接：{n} 个模型。</translation>
        </message>
        <message>
            <source>The server's context size is {n} tokens.</source>
            <translation>服务器的上下文大小为 {n} 个词元。</translation>
        </message>
        <message>
            <source>The server does not say its context size; {n} tokens are assumed (set it above if you know it).</source>
            <translation>服务器未说明其上下文大小；按 {n} 个词元计算（如果你知道实际值，请在上方设置）。</translation>
        </message>
    </context>
    <context>
        <name>FieldForm</name>
        <message>
            <source>set for this model</source>
            <translation>已为此模型单独设置</translation>
        </message>
        <message>
            <source>Random gives a different answer each time; a fixed number makes answers repeatable.</source>
            <translation>选择“随机”时每次回答都不同；填入固定数字可让回答可复现。</translation>
        </message>
        <message>
            <source>Save for this model only</source>
            <translation>仅为此模型保存</translation>
        </message>
        <message>
            <source>Changes on this page become settings of the loaded model, not global ones.</source>
            <translation>此页上的更改将成为当前已加载模型的专属设置，而非全局设置。</translation>
        </message>
    </context>
    <context>
        <name>InferencePage</name>
        <message>
            <source>Changes on this page reload the model.</source>
            <translation>此页上的更改会重新加载模型。</translation>
        </message>
        <message>
            <source>This build of llama.cpp has no GPU support, so everything runs on the CPU. To use an NVIDIA, Apple or Vulkan GPU, reinstall llama-cpp-python with GPU support (see “GPU support” in the README).</source>
            <translation>当前的 llama.cpp 版本不支持 GPU，所有计算都在 CPU 上进行。如需使用 NVIDIA、Apple 或 Vulkan GPU，请重新安装带 GPU 支持的 llama-cpp-python（参见 README 中的“GPU support”一节）。</translation>
        </message>
        <message>
            <source>Physical cores ({count})</source>
            <translation>物理核心数（{count}）</translation>
        </message>
        <message>
            <source>This model was trained for up to {count} tokens.</source>
            <translation>此模型训练时的上下文上限为 {count} 个词元。</translation>
        </message>
        <message>
            <source>Load a model to see how much memory this length needs.</source>
            <translation>加载模型后即可查看此长度需要多少内存。</translation>
        </message>
        <message>
            <source>≈ {total} at this length ({tokens} tokens): {kv} for the context cache.</source>
            <translation>此长度（{tokens} 个词元）约需 {total}，其中上下文缓存占 {kv}。</translation>
        </message>
    </context>
    <context>
        <name>InlineEditor</name>
        <message>
            <source>Edit your message</source>
            <translation>编辑你的消息</translation>
        </message>
        <message>
            <source>Send</source>
            <translation>发送</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
    </context>
    <context>
        <name>JobActions</name>
        <message>
            <source>Pause</source>
            <translation>暂停</translation>
        </message>
        <message>
            <source>Resume</source>
            <translation>继续</translation>
        </message>
        <message>
            <source>Retry</source>
            <translation>重试</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>移除</translation>
        </message>
    </context>
    <context>
        <name>JsonCard</name>
        <message>
            <source>Sentiment</source>
            <translation>情绪</translation>
        </message>
        <message>
            <source>Confidence</source>
            <translation>置信度</translation>
        </message>
        <message>
            <source>Summary</source>
            <translation>摘要</translation>
        </message>
        <message>
            <source>Positive</source>
            <translation>正面</translation>
        </message>
        <message>
            <source>Neutral</source>
            <translation>中性</translation>
        </message>
        <message>
            <source>Negative</source>
            <translation>负面</translation>
        </message>
    </context>
    <context>
        <name>KbIndexer</name>
        <message>
            <source>A knowledge base called "{name}" already exists: choose another name.</source>
            <translation>已有名为“{name}”的知识库，请换一个名称。</translation>
        </message>
        <message>
            <source>Indexing stopped unexpectedly. Details are in the log file.</source>
            <translation>索引意外中止。详情请查看日志文件。</translation>
        </message>
        <message>
            <source>{n} added</source>
            <translation>新增 {n} 个</translation>
        </message>
        <message>
            <source>{n} updated</source>
            <translation>更新 {n} 个</translation>
        </message>
        <message>
            <source>{n} removed</source>
            <translation>移除 {n} 个</translation>
        </message>
        <message>
            <source>{n} unchanged</source>
            <translation>{n} 个未变</translation>
        </message>
        <message>
            <source>Indexed “{name}”: {counts}.</source>
            <translation>已为“{name}”建立索引：{counts}。</translation>
        </message>
        <message>
            <source>“{name}” has no documents it can read.</source>
            <translation>“{name}”中没有可读取的文档。</translation>
        </message>
        <message>
            <source> and {n} more</source>
            <translation> 等另外 {n} 个</translation>
        </message>
        <message>
            <source>Skipped 1 file: {files}.</source>
            <translation>跳过了 1 个文件：{files}。</translation>
        </message>
        <message>
            <source>Skipped {n} files: {files}.</source>
            <translation>跳过了 {n} 个文件：{files}。</translation>
        </message>
    </context>
    <context>
        <name>KbSearchPanel</name>
        <message>
            <source>Try it: search</source>
            <translation>试一试：搜索</translation>
        </message>
        <message>
            <source>Ask a question, e.g. how long do refunds take</source>
            <translation>输入一个问题，例如：退款需要多久</translation>
        </message>
        <message>
            <source>Search</source>
            <translation>搜索</translation>
        </message>
        <message>
            <source>Choose a knowledge base and type a question.</source>
            <translation>请选择一个知识库并输入问题。</translation>
        </message>
        <message>
            <source>Type a question to search “{name}”.</source>
            <translation>输入问题以搜索“{name}”。</translation>
        </message>
        <message>
            <source>The search failed: {error}</source>
            <translation>搜索失败：{error}</translation>
        </message>
        <message>
            <source>“{name}” is empty, so there is nothing to search. Add files first.</source>
            <translation>“{name}”是空的，没有可搜索的内容。请先添加文件。</translation>
        </message>
        <message>
            <source>No passage answers that question, so an assistant using “{name}” would say it does not have that information.</source>
            <translation>没有段落能回答这个问题，因此使用“{name}”的助手会说明它没有这方面的信息。</translation>
        </message>
        <message>
            <source>score</source>
            <translation>得分</translation>
        </message>
        <message>
            <source>page {n}</source>
            <translation>第 {n} 页</translation>
        </message>
    </context>
    <context>
        <name>KnowledgePane</name>
        <message>
            <source>Knowledge bases</source>
            <translation>知识库</translation>
        </message>
        <message>
            <source>A knowledge base lets an assistant answer from your own documents and show where each answer came from. Choose one for an assistant under Profiles.</source>
            <translation>知识库让助手根据你自己的文档作答，并注明每个回答的出处。可在“助手配置”中为助手选择知识库。</translation>
        </message>
        <message>
            <source>New from folder…</source>
            <translation>从文件夹新建…</translation>
        </message>
        <message>
            <source>Add files…</source>
            <translation>添加文件…</translation>
        </message>
        <message>
            <source>Re-index</source>
            <translation>重新索引</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>删除</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Choose a folder of documents</source>
            <translation>选择存放文档的文件夹</translation>
        </message>
        <message>
            <source>New knowledge base</source>
            <translation>新建知识库</translation>
        </message>
        <message>
            <source>Name:</source>
            <translation>名称：</translation>
        </message>
        <message>
            <source>Add files</source>
            <translation>添加文件</translation>
        </message>
        <message>
            <source>Documents ({pattern})</source>
            <translation>文档 ({pattern})</translation>
        </message>
        <message>
            <source>No knowledge bases yet. Create one from a folder of documents (PDF, Word, HTML, Markdown, text or CSV).</source>
            <translation>还没有知识库。可以从一个文档文件夹（PDF、Word、HTML、Markdown、文本或 CSV）创建。</translation>
        </message>
        <message>
            <source>“{name}” is empty: add files, or re-index if its files have changed.</source>
            <translation>“{name}”是空的：请添加文件；如果文件有变动，请重新索引。</translation>
        </message>
        <message>
            <source>“{name}”: {documents} documents, {passages} passages.</source>
            <translation>“{name}”：{documents} 个文档，{passages} 个段落。</translation>
        </message>
        <message>
            <source>A knowledge base called "{name}" already exists: choose another name.</source>
            <translation>已有名为“{name}”的知识库，请换一个名称。</translation>
        </message>
        <message>
            <source>Creating “{name}”…</source>
            <translation>正在创建“{name}”…</translation>
        </message>
        <message>
            <source>Adding files to “{name}”…</source>
            <translation>正在向“{name}”添加文件…</translation>
        </message>
        <message>
            <source>Re-indexing “{name}”…</source>
            <translation>正在重新索引“{name}”…</translation>
        </message>
        <message>
            <source>Delete the knowledge base “{name}”? Your documents stay where they are; only the index is removed, and assistants that use it will answer without it.</source>
            <translation>要删除知识库“{name}”吗？你的文档会原样保留，只删除索引；使用它的助手之后将不再参考它作答。</translation>
        </message>
        <message>
            <source>Delete knowledge base</source>
            <translation>删除知识库</translation>
        </message>
        <message>
            <source>“{name}” could not be deleted: {error}</source>
            <translation>无法删除“{name}”：{error}</translation>
        </message>
        <message>
            <source>Deleted “{name}”.</source>
            <translation>已删除“{name}”。</translation>
        </message>
        <message>
            <source>Indexing {source} ({done} of {total})…</source>
            <translation>正在索引 {source}（第 {done} 个，共 {total} 个）…</translation>
        </message>
        <message>
            <source>Indexing “{name}” was cancelled. Files indexed so far are kept; re-index to finish.</source>
            <translation>已取消为“{name}”建立索引。已索引的文件会保留；重新索引即可完成。</translation>
        </message>
        <message>
            <source>Creating “{name}” was cancelled.</source>
            <translation>已取消创建“{name}”。</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <source>Documents</source>
            <translation>文档</translation>
        </message>
        <message>
            <source>Passages</source>
            <translation>段落</translation>
        </message>
    </context>
    <context>
        <name>LanguagePage</name>
        <message>
            <source>Same as the system</source>
            <translation>跟随系统</translation>
        </message>
    </context>
    <context>
        <name>LocalTab</name>
        <message>
            <source>Import…</source>
            <translation>导入…</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>删除</translation>
        </message>
        <message>
            <source>Show in file manager</source>
            <translation>在文件管理器中显示</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>刷新</translation>
        </message>
        <message>
            <source>Load</source>
            <translation>加载</translation>
        </message>
        <message>
            <source>Looking for models…</source>
            <translation>正在查找模型…</translation>
        </message>
        <message>
            <source>Models folder</source>
            <translation>模型文件夹</translation>
        </message>
        <message>
            <source>Linked: {folder}</source>
            <translation>已链接：{folder}</translation>
        </message>
        <message>
            <source>Starter model</source>
            <translation>入门模型</translation>
        </message>
        <message>
            <source> (loaded)</source>
            <translation>（已加载）</translation>
        </message>
        <message>
            <source>Invalid file</source>
            <translation>无效文件</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>有</translation>
        </message>
        <message>
            <source>none</source>
            <translation>无</translation>
        </message>
        <message>
            <source>No models yet. Download one from Discover, drop a .gguf file here, or press Import…. Files live in {folder}.</source>
            <translation>还没有模型。可以从“发现”下载，把 .gguf 文件拖到这里，或点击“导入…”。模型文件位于 {folder}。</translation>
        </message>
        <message>
            <source>Double-click a model to load it. Drop .gguf files here to import them. Files live in {folder}.</source>
            <translation>双击模型即可加载。把 .gguf 文件拖到这里即可导入。模型文件位于 {folder}。</translation>
        </message>
        <message>
            <source>{name} cannot be loaded: {error}</source>
            <translation>无法加载 {name}：{error}</translation>
        </message>
        <message>
            <source>Load a model that may not fit?</source>
            <translation>要加载可能放不下的模型吗？</translation>
        </message>
        <message>
            <source>This model needs about {need} GB; you have {free} GB free. Load anyway?</source>
            <translation>此模型大约需要 {need} GB，而当前空闲 {free} GB。仍要加载吗？</translation>
        </message>
        <message>
            <source>The starter model ships with the app and cannot be deleted.</source>
            <translation>入门模型随应用附带，无法删除。</translation>
        </message>
        <message>
            <source>Remove {name} from the list? The file itself stays where it is.</source>
            <translation>要从列表中移除 {name} 吗？文件本身会保留在原处。</translation>
        </message>
        <message>
            <source>Delete {name} from the models folder? This cannot be undone.</source>
            <translation>要从模型文件夹中删除 {name} 吗？此操作无法撤销。</translation>
        </message>
        <message>
            <source>It stays loaded until you pick another model.</source>
            <translation>在你选择其他模型之前，它会保持加载状态。</translation>
        </message>
        <message>
            <source>Delete model</source>
            <translation>删除模型</translation>
        </message>
        <message>
            <source>{name} was removed.</source>
            <translation>已移除 {name}。</translation>
        </message>
        <message>
            <source>Only .gguf model files can be imported; nothing was added.</source>
            <translation>只能导入 .gguf 模型文件；未添加任何文件。</translation>
        </message>
        <message>
            <source>An import is still running; try again after it.</source>
            <translation>另一个导入仍在进行中，请在它完成后再试。</translation>
        </message>
        <message>
            <source>Linking {n} file(s)…</source>
            <translation>正在链接 {n} 个文件…</translation>
        </message>
        <message>
            <source>Copying {n} file(s)…</source>
            <translation>正在复制 {n} 个文件…</translation>
        </message>
        <message>
            <source>Imported {names}.</source>
            <translation>已导入 {names}。</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <source>Architecture</source>
            <translation>架构</translation>
        </message>
        <message>
            <source>Parameters</source>
            <translation>参数量</translation>
        </message>
        <message>
            <source>Quantization</source>
            <translation>量化</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>大小</translation>
        </message>
        <message>
            <source>Trained context</source>
            <translation>训练上下文</translation>
        </message>
        <message>
            <source>Chat template</source>
            <translation>聊天模板</translation>
        </message>
        <message>
            <source>Memory</source>
            <translation>内存</translation>
        </message>
        <message>
            <source>Where</source>
            <translation>位置</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Desktop Chat</source>
            <translation>桌面聊天</translation>
        </message>
        <message>
            <source>Chat</source>
            <translation>聊天</translation>
        </message>
        <message>
            <source>Models</source>
            <translation>模型</translation>
        </message>
        <message>
            <source>Knowledge</source>
            <translation>知识库</translation>
        </message>
        <message>
            <source>Settings</source>
            <translation>设置</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <source>New chat</source>
            <translation>新对话</translation>
        </message>
        <message>
            <source>Search conversations…</source>
            <translation>搜索对话…</translation>
        </message>
        <message>
            <source>Export this conversation…</source>
            <translation>导出此对话…</translation>
        </message>
        <message>
            <source>Export all conversations…</source>
            <translation>导出全部对话…</translation>
        </message>
        <message>
            <source>Import conversations…</source>
            <translation>导入对话…</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>退出</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <source>Kiosk view</source>
            <translation>展台模式</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
        <message>
            <source>About Desktop Chat</source>
            <translation>关于桌面聊天</translation>
        </message>
    </context>
    <context>
        <name>MessageActions</name>
        <message>
            <source>Edit</source>
            <translation>编辑</translation>
        </message>
        <message>
            <source>Regenerate</source>
            <translation>重新生成</translation>
        </message>
        <message>
            <source>Continue</source>
            <translation>继续</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>删除</translation>
        </message>
        <message>
            <source>Previous version</source>
            <translation>上一个版本</translation>
        </message>
        <message>
            <source>Next version</source>
            <translation>下一个版本</translation>
        </message>
        <message>
            <source>{n} tokens</source>
            <translation>{n} 个词元</translation>
        </message>
        <message>
            <source>{tps:.1f} tokens/s</source>
            <translation>{tps:.1f} 词元/秒</translation>
        </message>
        <message>
            <source>stopped</source>
            <translation>已停止</translation>
        </message>
        <message>
            <source>cut off at the length limit</source>
            <translation>已达长度上限，被截断</translation>
        </message>
        <message>
            <source>interrupted by an error</source>
            <translation>因出错而中断</translation>
        </message>
        <message>
            <source>incomplete — the app closed while it was being written</source>
            <translation>不完整——生成过程中应用已关闭</translation>
        </message>
        <message>
            <source>Delete this message and everything after it in this branch?</source>
            <translation>要删除这条消息以及此分支中它之后的所有内容吗？</translation>
        </message>
        <message>
            <source>Message:</source>
            <translation>消息：</translation>
        </message>
    </context>
    <context>
        <name>MessageBody</name>
        <message>
            <source>Open this link?</source>
            <translation>打开此链接？</translation>
        </message>
        <message>
            <source>This link is not a web page. It may open another program or a file on this computer or your network:

{target}

Open it only if you trust where it points.</source>
            <translation>此链接不是网页。它可能会打开另一个程序，或此计算机、你所在网络上的文件：

{target}

只有在你信任它指向的位置时才打开。</translation>
        </message>
        <message>
            <source>Copy this code</source>
            <translation>复制这段代码</translation>
        </message>
        <message>
            <source>Show this source</source>
            <translation>显示此来源</translation>
        </message>
    </context>
    <context>
        <name>MessageView</name>
        <message>
            <source>Copy</source>
            <translation>复制</translation>
        </message>
        <message>
            <source>Copy the message as Markdown</source>
            <translation>以 Markdown 复制此消息</translation>
        </message>
        <message>
            <source>Copy as Markdown</source>
            <translation>复制为 Markdown</translation>
        </message>
        <message>
            <source>Copy as plain text</source>
            <translation>复制为纯文本</translation>
        </message>
        <message>
            <source>You</source>
            <translation>你</translation>
        </message>
        <message>
            <source>Assistant</source>
            <translation>助手</translation>
        </message>
        <message>
            <source>System</source>
            <translation>系统</translation>
        </message>
        <message>
            <source>Copied</source>
            <translation>已复制</translation>
        </message>
        <message>
            <source>Show all ({count} more characters)</source>
            <translation>显示全部（还有 {count} 个字符）</translation>
        </message>
        <message>
            <source>No longer in the model's context window</source>
            <translation>已不在模型的上下文窗口中</translation>
        </message>
    </context>
    <context>
        <name>ModelFormat</name>
        <message>
            <source>{size}/s</source>
            <translation>{size}/秒</translation>
        </message>
        <message>
            <source>{h} h {m} min left</source>
            <translation>剩余 {h} 小时 {m} 分钟</translation>
        </message>
        <message>
            <source>Fits</source>
            <translation>可容纳</translation>
        </message>
        <message>
            <source>Tight</source>
            <translation>勉强</translation>
        </message>
        <message>
            <source>Too big</source>
            <translation>太大</translation>
        </message>
        <message>
            <source>Fits in the memory free now, with room to spare.</source>
            <translation>当前空闲内存足够容纳，且绰绰有余。</translation>
        </message>
        <message>
            <source>Fits in the memory free now, barely: other apps may slow down.</source>
            <translation>当前空闲内存勉强够用：其他应用可能会变慢。</translation>
        </message>
        <message>
            <source>Needs more memory than is free now.</source>
            <translation>所需内存超过当前空闲内存。</translation>
        </message>
        <message>
            <source>{n} s left</source>
            <translation>剩余 {n} 秒</translation>
        </message>
        <message>
            <source>{n} min left</source>
            <translation>剩余 {n} 分钟</translation>
        </message>
    </context>
    <context>
        <name>ModelPage</name>
        <message>
            <source>Settings saved for this model win over the global ones whenever it is loaded. Everything not listed here uses the global value. To add one, tick “Save for this model only” on the Inference or Generation page.</source>
            <translation>为此模型保存的设置在加载它时优先于全局设置。此处未列出的设置都使用全局值。如要添加，请在“推理”或“生成”页勾选“仅为此模型保存”。</translation>
        </message>
        <message>
            <source>Setting</source>
            <translation>设置项</translation>
        </message>
        <message>
            <source>Source</source>
            <translation>来源</translation>
        </message>
        <message>
            <source>This model has no settings of its own.</source>
            <translation>此模型没有专属设置。</translation>
        </message>
        <message>
            <source>Reset all to global</source>
            <translation>全部恢复为全局值</translation>
        </message>
        <message>
            <source>No model is loaded. Load one to give it settings of its own.</source>
            <translation>尚未加载模型。加载一个模型后即可为它单独设置。</translation>
        </message>
        <message>
            <source>Settings of {model}</source>
            <translation>{model} 的设置</translation>
        </message>
        <message>
            <source>this model</source>
            <translation>此模型</translation>
        </message>
        <message>
            <source>this model (global: {value})</source>
            <translation>此模型（全局值：{value}）</translation>
        </message>
        <message>
            <source>Reset</source>
            <translation>重置</translation>
        </message>
        <message>
            <source>Use the global value again</source>
            <translation>重新使用全局值</translation>
        </message>
    </context>
    <context>
        <name>ModelPicker</name>
        <message>
            <source>Model</source>
            <translation>模型</translation>
        </message>
        <message>
            <source>The model this chat talks to</source>
            <translation>此对话使用的模型</translation>
        </message>
        <message>
            <source>{name} (remote)</source>
            <translation>{name}（远程）</translation>
        </message>
        <message>
            <source>No model</source>
            <translation>无模型</translation>
        </message>
        <message>
            <source>Loading {name}… {seconds} s</source>
            <translation>正在加载 {name}… {seconds} 秒</translation>
        </message>
    </context>
    <context>
        <name>ModelStatus</name>
        <message>
            <source> · GPU {n} layers</source>
            <translation> · GPU {n} 层</translation>
        </message>
        <message>
            <source> · first token {ttft:.2f} s · {tps:.1f} tokens/s</source>
            <translation> · 首个词元 {ttft:.2f} 秒 · {tps:.1f} 词元/秒</translation>
        </message>
        <message>
            <source>{model} · remote engine {name}</source>
            <translation>{model} · 远程引擎 {name}</translation>
        </message>
        <message>
            <source>Remote · {name}</source>
            <translation>远程 · {name}</translation>
        </message>
        <message>
            <source>{model} on the engine “{name}”: what you send here goes there.</source>
            <translation>引擎“{name}”上的 {model}：你在这里发送的内容会发往那里。</translation>
        </message>
    </context>
    <context>
        <name>ModelsPane</name>
        <message>
            <source>Models</source>
            <translation>模型</translation>
        </message>
        <message>
            <source>Local</source>
            <translation>本地</translation>
        </message>
        <message>
            <source>Discover</source>
            <translation>发现</translation>
        </message>
        <message>
            <source>Downloads</source>
            <translation>下载</translation>
        </message>
        <message>
            <source>Import models</source>
            <translation>导入模型</translation>
        </message>
        <message numerus="yes">
            <source>How should the app keep the %n model file(s)?</source>
            <translation>
                <numerusform>应用应如何保存这 %n 个模型文件？</numerusform>
            </translation>
        </message>
        <message>
            <source>Copy puts a copy in the models folder: it keeps working if the original moves, but uses the disk space twice. Link uses the file where it is: no copy, but the model disappears from the list if the file moves.</source>
            <translation>“复制”会在模型文件夹中放一份副本：即使原文件被移动也能继续使用，但会占用双倍磁盘空间。“链接”直接使用原位置的文件：不占额外空间，但如果文件被移动，模型就会从列表中消失。</translation>
        </message>
        <message>
            <source>Copy into the models folder</source>
            <translation>复制到模型文件夹</translation>
        </message>
        <message>
            <source>Link in place</source>
            <translation>原位链接</translation>
        </message>
        <message>
            <source>Import GGUF models</source>
            <translation>导入 GGUF 模型</translation>
        </message>
        <message>
            <source>Could not open {url}.</source>
            <translation>无法打开 {url}。</translation>
        </message>
        <message>
            <source>Offline — local models only. The model hub ({endpoint}) cannot be reached; your models here work as usual.</source>
            <translation>离线——仅可使用本地模型。无法连接模型仓库（{endpoint}）；本机上的模型照常可用。</translation>
        </message>
        <message>
            <source>Try again</source>
            <translation>重试</translation>
        </message>
        <message>
            <source>GGUF models (*.gguf)</source>
            <translation>GGUF 模型 (*.gguf)</translation>
        </message>
    </context>
    <context>
        <name>PrivacyPage</name>
        <message>
            <source>Nothing leaves this computer unless you download a model.</source>
            <translation>除非你下载模型，否则任何数据都不会离开这台电脑。</translation>
        </message>
        <message>
            <source>Your conversations, settings, models and knowledge bases are stored only in these places:</source>
            <translation>你的对话、设置、模型和知识库只保存在以下位置：</translation>
        </message>
        <message>
            <source>What</source>
            <translation>内容</translation>
        </message>
        <message>
            <source>Where</source>
            <translation>位置</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>大小</translation>
        </message>
        <message>
            <source>Open data folder</source>
            <translation>打开数据文件夹</translation>
        </message>
        <message>
            <source>Recount sizes</source>
            <translation>重新统计大小</translation>
        </message>
        <message>
            <source>Show the welcome again</source>
            <translation>再次显示欢迎页</translation>
        </message>
        <message>
            <source>Delete all my data…</source>
            <translation>删除我的全部数据…</translation>
        </message>
        <message>
            <source>Settings</source>
            <translation>设置</translation>
        </message>
        <message>
            <source>Conversations</source>
            <translation>对话</translation>
        </message>
        <message>
            <source>Models</source>
            <translation>模型</translation>
        </message>
        <message>
            <source>Knowledge bases</source>
            <translation>知识库</translation>
        </message>
        <message>
            <source>Logs</source>
            <translation>日志</translation>
        </message>
        <message>
            <source>Cache</source>
            <translation>缓存</translation>
        </message>
        <message>
            <source>counting…</source>
            <translation>正在统计…</translation>
        </message>
    </context>
    <context>
        <name>ProfileControl</name>
        <message>
            <source>Profiles…</source>
            <translation>助手配置…</translation>
        </message>
    </context>
    <context>
        <name>ProfileForm</name>
        <message>
            <source>Built-in profiles are read-only. Duplicate one to make your own copy.</source>
            <translation>内置配置为只读。复制一份即可创建你自己的版本。</translation>
        </message>
        <message>
            <source>App default</source>
            <translation>应用默认值</translation>
        </message>
        <message>
            <source>Shown to customers in kiosk view</source>
            <translation>在展台模式中向顾客显示</translation>
        </message>
        <message>
            <source>Choose…</source>
            <translation>选择…</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>移除</translation>
        </message>
        <message>
            <source>One question per line</source>
            <translation>每行一个问题</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <source>System prompt</source>
            <translation>系统提示词</translation>
        </message>
        <message>
            <source>Temperature</source>
            <translation>温度</translation>
        </message>
        <message>
            <source>Max tokens</source>
            <translation>最大词元数</translation>
        </message>
        <message>
            <source>Knowledge base</source>
            <translation>知识库</translation>
        </message>
        <message>
            <source>Greeting</source>
            <translation>问候语</translation>
        </message>
        <message>
            <source>Suggested questions</source>
            <translation>推荐问题</translation>
        </message>
        <message>
            <source>Shop name</source>
            <translation>店铺名称</translation>
        </message>
        <message>
            <source>Logo</source>
            <translation>标志</translation>
        </message>
        <message>
            <source>None</source>
            <translation>无</translation>
        </message>
        <message>
            <source>{name} (not created yet)</source>
            <translation>{name}（尚未创建）</translation>
        </message>
        <message>
            <source>No logo</source>
            <translation>无标志</translation>
        </message>
    </context>
    <context>
        <name>ProfilesDialog</name>
        <message>
            <source>Assistant profiles</source>
            <translation>助手配置</translation>
        </message>
        <message>
            <source>New</source>
            <translation>新建</translation>
        </message>
        <message>
            <source>Duplicate</source>
            <translation>复制</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>删除</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>保存</translation>
        </message>
        <message>
            <source>Choose a logo</source>
            <translation>选择标志图片</translation>
        </message>
        <message>
            <source>Images (*.png *.jpg *.jpeg *.gif *.bmp *.webp)</source>
            <translation>图片 (*.png *.jpg *.jpeg *.gif *.bmp *.webp)</translation>
        </message>
        <message>
            <source>{name} (built-in)</source>
            <translation>{name}（内置）</translation>
        </message>
        <message>
            <source>Unsaved changes</source>
            <translation>未保存的更改</translation>
        </message>
        <message>
            <source>Discard your unsaved changes to “{name}”?</source>
            <translation>要放弃对“{name}”所做的未保存更改吗？</translation>
        </message>
        <message>
            <source>New assistant</source>
            <translation>新助手</translation>
        </message>
        <message>
            <source>{name} (copy)</source>
            <translation>{name}（副本）</translation>
        </message>
        <message>
            <source>Delete the profile “{name}”? This cannot be undone.</source>
            <translation>要删除配置“{name}”吗？此操作无法撤销。</translation>
        </message>
        <message>
            <source>Delete profile</source>
            <translation>删除配置</translation>
        </message>
    </context>
    <context>
        <name>RecordList</name>
        <message>
            <source>Remove</source>
            <translation>移除</translation>
        </message>
    </context>
    <context>
        <name>SearchDialog</name>
        <message>
            <source>Today {time}</source>
            <translation>今天 {time}</translation>
        </message>
        <message>
            <source>Yesterday {time}</source>
            <translation>昨天 {time}</translation>
        </message>
        <message>
            <source>d MMM yyyy</source>
            <translation>yyyy年M月d日</translation>
        </message>
        <message>
            <source>Search chats</source>
            <translation>搜索对话</translation>
        </message>
        <message>
            <source>Search messages…</source>
            <translation>搜索消息…</translation>
        </message>
        <message>
            <source>Search every conversation. Chinese and English both work, e.g. 退款 or refund.</source>
            <translation>搜索所有对话。中文和英文都可以，例如“退款”或“refund”。</translation>
        </message>
        <message>
            <source>Search failed. Try other words; details are in the log file.</source>
            <translation>搜索失败。请换个词试试；详情请查看日志文件。</translation>
        </message>
        <message>
            <source>No matches for “{query}”. Try fewer or shorter words; Chinese and English both work.</source>
            <translation>没有与“{query}”匹配的结果。试试更少或更短的词；中文和英文都可以。</translation>
        </message>
        <message>
            <source>Showing the {count} newest matches.</source>
            <translation>显示最新的 {count} 条匹配结果。</translation>
        </message>
        <message>
            <source>You</source>
            <translation>你</translation>
        </message>
        <message>
            <source>Assistant</source>
            <translation>助手</translation>
        </message>
        <message>
            <source>System prompt</source>
            <translation>系统提示词</translation>
        </message>
        <message>
            <source>Tool</source>
            <translation>工具</translation>
        </message>
        <message>
            <source>New chat</source>
            <translation>新对话</translation>
        </message>
        <message>
            <source>Conversation title</source>
            <translation>对话标题</translation>
        </message>
    </context>
    <context>
        <name>SeedEditor</name>
        <message>
            <source>Random</source>
            <translation>随机</translation>
        </message>
    </context>
    <context>
        <name>ServerPage</name>
        <message>
            <source>Other programs (editors, scripts, tools that speak the OpenAI API) can use the loaded model through this server. It shares the model with this window: their requests and your questions take turns.</source>
            <translation>其他程序（编辑器、脚本、支持 OpenAI API 的工具）可以通过此服务器使用已加载的模型。它与本窗口共用模型：它们的请求和您的提问轮流进行。</translation>
        </message>
        <message>
            <source>Copy base URL</source>
            <translation>复制基础 URL</translation>
        </message>
        <message>
            <source>Generate</source>
            <translation>生成</translation>
        </message>
        <message>
            <source>Copy</source>
            <translation>复制</translation>
        </message>
        <message>
            <source>One web origin per line, e.g. http://localhost:3000</source>
            <translation>每行一个网页来源，例如 http://localhost:3000</translation>
        </message>
        <message>
            <source>Recent requests</source>
            <translation>最近的请求</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>时间</translation>
        </message>
        <message>
            <source>Endpoint</source>
            <translation>端点</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Outcome</source>
            <translation>结果</translation>
        </message>
        <message>
            <source>Tokens</source>
            <translation>词元</translation>
        </message>
        <message>
            <source>Tokens/s</source>
            <translation>词元/秒</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>刷新</translation>
        </message>
        <message>
            <source>Not running: {error}</source>
            <translation>未运行：{error}</translation>
        </message>
        <message>
            <source>Running at {url}</source>
            <translation>运行于 {url}</translation>
        </message>
        <message>
            <source>reachable from other machines with the API key</source>
            <translation>其他计算机可凭 API 密钥访问</translation>
        </message>
        <message numerus="yes">
            <source>serving %n request(s)</source>
            <translation>
                <numerusform>正在处理 %n 个请求</numerusform>
            </translation>
        </message>
        <message>
            <source>Off. Turn it on below and press Apply.</source>
            <translation>已关闭。在下方开启并点击“应用”。</translation>
        </message>
    </context>
    <context>
        <name>SettingsPane</name>
        <message>
            <source>Settings</source>
            <translation>设置</translation>
        </message>
        <message>
            <source>This model</source>
            <translation>此模型</translation>
        </message>
        <message>
            <source>Engines</source>
            <translation>引擎</translation>
        </message>
        <message>
            <source>Tools</source>
            <translation>工具</translation>
        </message>
        <message>
            <source>Server</source>
            <translation>服务器</translation>
        </message>
        <message>
            <source>Privacy and data</source>
            <translation>隐私与数据</translation>
        </message>
        <message>
            <source>Revert</source>
            <translation>还原</translation>
        </message>
        <message>
            <source>Show the last applied values again</source>
            <translation>重新显示上次应用的值</translation>
        </message>
        <message>
            <source>Apply</source>
            <translation>应用</translation>
        </message>
        <message>
            <source>Nothing has changed.</source>
            <translation>没有任何更改。</translation>
        </message>
        <message>
            <source>Restart now</source>
            <translation>立即重启</translation>
        </message>
        <message>
            <source>Delete all my data</source>
            <translation>删除我的全部数据</translation>
        </message>
        <message>
            <source>This deletes every conversation, setting, downloaded model, knowledge base and log of this app. It cannot be undone.

Type {word} to confirm.</source>
            <translation>这将删除本应用的所有对话、设置、已下载的模型、知识库和日志，且无法撤销。

请输入 {word} 以确认。</translation>
        </message>
        <message>
            <source>Nothing was deleted.</source>
            <translation>未删除任何内容。</translation>
        </message>
        <message>
            <source>Saved. The model is being reloaded with the new settings.</source>
            <translation>已保存。正在用新设置重新加载模型。</translation>
        </message>
        <message>
            <source>Shortcuts</source>
            <translation>快捷键</translation>
        </message>
        <message>
            <source>Saved. The new settings apply when a model is loaded.</source>
            <translation>已保存。新设置将在加载模型时生效。</translation>
        </message>
        <message>
            <source>Saved. The new language is used after you restart the app.</source>
            <translation>已保存。重启应用后将使用新语言。</translation>
        </message>
        <message>
            <source>Saved.</source>
            <translation>已保存。</translation>
        </message>
        <message>
            <source>Inference</source>
            <translation>推理</translation>
        </message>
        <message>
            <source>Generation</source>
            <translation>生成</translation>
        </message>
        <message>
            <source>Appearance</source>
            <translation>外观</translation>
        </message>
        <message>
            <source>Context length</source>
            <translation>上下文长度</translation>
        </message>
        <message>
            <source>How many tokens the model sees at once: system prompt, history and answer. 0 = auto: 4096, or the model's trained maximum if that is smaller. Longer contexts use more memory.</source>
            <translation>模型一次能看到的词元数，包括系统提示词、历史记录和回答。0 = 自动：4096，若模型训练时的上限更小则取该上限。上下文越长，占用内存越多。</translation>
        </message>
        <message>
            <source>tokens</source>
            <translation>词元</translation>
        </message>
        <message>
            <source>Auto</source>
            <translation>自动</translation>
        </message>
        <message>
            <source>GPU layers</source>
            <translation>GPU 层数</translation>
        </message>
        <message>
            <source>Model layers to run on the GPU. 0 = CPU only; -1 = Auto: as many as fit in free video memory.</source>
            <translation>在 GPU 上运行的模型层数。0 = 仅用 CPU；-1 = 自动：空闲显存能容纳多少就放多少。</translation>
        </message>
        <message>
            <source>layers</source>
            <translation>层</translation>
        </message>
        <message>
            <source>CPU threads</source>
            <translation>CPU 线程数</translation>
        </message>
        <message>
            <source>Threads used for generation. 0 = one per physical core.</source>
            <translation>用于生成的线程数。0 = 每个物理核心一个线程。</translation>
        </message>
        <message>
            <source>threads</source>
            <translation>线程</translation>
        </message>
        <message>
            <source>Physical cores</source>
            <translation>物理核心数</translation>
        </message>
        <message>
            <source>Prompt batch size</source>
            <translation>提示词批大小</translation>
        </message>
        <message>
            <source>Tokens evaluated per step while reading the prompt. Larger is faster on a GPU and uses more memory.</source>
            <translation>读取提示词时每一步处理的词元数。数值越大，在 GPU 上越快，但占用内存越多。</translation>
        </message>
        <message>
            <source>Flash attention</source>
            <translation>Flash Attention</translation>
        </message>
        <message>
            <source>A faster, leaner attention kernel. Turn off only if a model misbehaves with it.</source>
            <translation>更快、更省内存的注意力计算内核。仅当某个模型开启后表现异常时才关闭。</translation>
        </message>
        <message>
            <source>Memory-map the model file</source>
            <translation>内存映射模型文件</translation>
        </message>
        <message>
            <source>Load the model lazily from disk, sharing pages with the file cache.</source>
            <translation>按需从磁盘加载模型，与文件缓存共享内存页。</translation>
        </message>
        <message>
            <source>Lock the model in RAM</source>
            <translation>将模型锁定在内存中</translation>
        </message>
        <message>
            <source>Keep the model from being swapped out. Needs enough free RAM.</source>
            <translation>防止模型被换出到磁盘。需要足够的空闲内存。</translation>
        </message>
        <message>
            <source>KV cache precision</source>
            <translation>KV 缓存精度</translation>
        </message>
        <message>
            <source>Quantizing the context cache (q8_0, q4_0) saves memory at a small cost in quality.</source>
            <translation>量化上下文缓存（q8_0、q4_0）可以节省内存，质量略有损失。</translation>
        </message>
        <message>
            <source>f16</source>
            <translation>f16</translation>
        </message>
        <message>
            <source>q8_0</source>
            <translation>q8_0</translation>
        </message>
        <message>
            <source>q4_0</source>
            <translation>q4_0</translation>
        </message>
        <message>
            <source>Speculative decoding</source>
            <translation>推测解码</translation>
        </message>
        <message>
            <source>Guess several tokens ahead from the prompt and check them in one step; it can be faster when the answer copies the prompt (grounded answers, corrections, translations). Auto leaves it off: on a 2-core test machine it measured slower. 'Draft model' needs a smaller model of the same family below.</source>
            <translation>根据提示预先猜测几个词元并一步验证；当回答照搬提示内容时（基于资料的回答、纠错、翻译）可能更快。“自动”保持关闭：在一台双核测试机上它测得更慢。“草稿模型”需要在下方指定同一系列中较小的模型。</translation>
        </message>
        <message>
            <source>prompt_lookup</source>
            <translation>提示词查找</translation>
        </message>
        <message>
            <source>draft_model</source>
            <translation>草稿模型</translation>
        </message>
        <message>
            <source>off</source>
            <translation>关闭</translation>
        </message>
        <message>
            <source>Draft model</source>
            <translation>草稿模型</translation>
        </message>
        <message>
            <source>Path of a smaller GGUF of the same family, used when speculative decoding is 'draft model'. Empty = none.</source>
            <translation>同一系列中较小的 GGUF 模型的路径，在推测解码设为“草稿模型”时使用。留空 = 不使用。</translation>
        </message>
        <message>
            <source>Saved chat states</source>
            <translation>已保存的对话状态</translation>
        </message>
        <message>
            <source>Memory kept for the model states of recent chats, so going back to one does not re-read its history. 0 = keep none.</source>
            <translation>为最近对话的模型状态保留的内存，这样回到某个对话时无需重新读取其历史。0 = 不保留。</translation>
        </message>
        <message>
            <source>MB</source>
            <translation>MB</translation>
        </message>
        <message>
            <source>Temperature</source>
            <translation>温度</translation>
        </message>
        <message>
            <source>Randomness of the answer: 0 always picks the likeliest token, higher is more varied.</source>
            <translation>回答的随机程度：0 总是选择最可能的词元，数值越高回答越多样。</translation>
        </message>
        <message>
            <source>Top P</source>
            <translation>Top P</translation>
        </message>
        <message>
            <source>Sample only from the likeliest tokens whose probabilities add up to this.</source>
            <translation>只从累计概率达到该值的最可能词元中采样。</translation>
        </message>
        <message>
            <source>Top K</source>
            <translation>Top K</translation>
        </message>
        <message>
            <source>Sample only from this many likeliest tokens. 0 = no limit.</source>
            <translation>只从这么多个最可能的词元中采样。0 = 不限。</translation>
        </message>
        <message>
            <source>No limit</source>
            <translation>不限</translation>
        </message>
        <message>
            <source>Min P</source>
            <translation>Min P</translation>
        </message>
        <message>
            <source>Drop tokens less likely than this fraction of the likeliest one.</source>
            <translation>舍弃概率低于最可能词元概率的这一比例的词元。</translation>
        </message>
        <message>
            <source>Repeat penalty</source>
            <translation>重复惩罚</translation>
        </message>
        <message>
            <source>Discourage repeating recent tokens. 1 = no penalty.</source>
            <translation>抑制重复最近出现过的词元。1 = 不惩罚。</translation>
        </message>
        <message>
            <source>Maximum answer length</source>
            <translation>回答最大长度</translation>
        </message>
        <message>
            <source>The answer stops after this many tokens.</source>
            <translation>回答达到这么多词元后停止。</translation>
        </message>
        <message>
            <source>Seed</source>
            <translation>随机种子</translation>
        </message>
        <message>
            <source>-1 = random each time; any other number makes answers repeatable.</source>
            <translation>-1 = 每次随机；填其他任意数字可让回答可复现。</translation>
        </message>
        <message>
            <source>Random</source>
            <translation>随机</translation>
        </message>
        <message>
            <source>Stop sequences</source>
            <translation>停止序列</translation>
        </message>
        <message>
            <source>The answer ends when the model writes one of these strings.</source>
            <translation>模型输出其中任意一个字符串时，回答即结束。</translation>
        </message>
        <message>
            <source>System prompt</source>
            <translation>系统提示词</translation>
        </message>
        <message>
            <source>Instructions given to the model before every conversation.</source>
            <translation>每次对话开始前发给模型的指示。</translation>
        </message>
        <message>
            <source>Chat format</source>
            <translation>聊天格式</translation>
        </message>
        <message>
            <source>How messages are laid out for the model. Auto uses the template in the model file, else one chosen from its architecture.</source>
            <translation>消息以何种格式交给模型。“自动”使用模型文件中的模板，没有模板时按模型架构选择。</translation>
        </message>
        <message>
            <source>Kiosk idle reset</source>
            <translation>自助模式空闲重置</translation>
        </message>
        <message>
            <source>In kiosk view, start a fresh conversation after this many idle minutes (0: never).</source>
            <translation>在自助模式下，空闲这么多分钟后开始新的对话（0：从不）。</translation>
        </message>
        <message>
            <source>min</source>
            <translation>分钟</translation>
        </message>
        <message>
            <source>Kiosk PIN</source>
            <translation>自助模式 PIN</translation>
        </message>
        <message>
            <source>Asked before kiosk view can be left (F11). Empty: not asked.</source>
            <translation>离开自助模式（F11）前需要输入。留空：不询问。</translation>
        </message>
        <message>
            <source>Serve an OpenAI-compatible API</source>
            <translation>提供 OpenAI 兼容 API</translation>
        </message>
        <message>
            <source>Let other programs on this computer use the loaded model through an OpenAI-compatible HTTP API.</source>
            <translation>让本机上的其他程序通过 OpenAI 兼容的 HTTP API 使用已加载的模型。</translation>
        </message>
        <message>
            <source>Listen address</source>
            <translation>监听地址</translation>
        </message>
        <message>
            <source>127.0.0.1 = this computer only. Any other address makes the API reachable from other machines and needs an API key.</source>
            <translation>127.0.0.1 = 仅本机。任何其他地址都会让其他计算机访问到 API，并且需要 API 密钥。</translation>
        </message>
        <message>
            <source>Port</source>
            <translation>端口</translation>
        </message>
        <message>
            <source>The TCP port of the API.</source>
            <translation>API 的 TCP 端口。</translation>
        </message>
        <message>
            <source>API key</source>
            <translation>API 密钥</translation>
        </message>
        <message>
            <source>Clients send it as 'Authorization: Bearer &lt;key&gt;'. Empty = no key (this computer only).</source>
            <translation>客户端以“Authorization: Bearer &lt;密钥&gt;”发送。留空 = 无密钥（仅限本机）。</translation>
        </message>
        <message>
            <source>Allowed web origins (CORS)</source>
            <translation>允许的网页来源（CORS）</translation>
        </message>
        <message>
            <source>Web pages allowed to call the API from a browser, e.g. http://localhost:3000. Empty = none.</source>
            <translation>允许在浏览器中调用 API 的网页，例如 http://localhost:3000。留空 = 不允许。</translation>
        </message>
        <message>
            <source>Request queue</source>
            <translation>请求队列</translation>
        </message>
        <message>
            <source>Server requests waiting for or using the model at once; more are refused with 429.</source>
            <translation>同时等待或正在使用模型的服务器请求数；超出的请求以 429 拒绝。</translation>
        </message>
        <message>
            <source>requests</source>
            <translation>个请求</translation>
        </message>
        <message>
            <source>Largest request</source>
            <translation>最大请求</translation>
        </message>
        <message>
            <source>Bigger request bodies are refused with 413.</source>
            <translation>更大的请求体会以 413 拒绝。</translation>
        </message>
        <message>
            <source>KB</source>
            <translation>KB</translation>
        </message>
        <message>
            <source>Log message text</source>
            <translation>记录消息文本</translation>
        </message>
        <message>
            <source>Write the messages and answers of each request to the request log. Off = only sizes and timings.</source>
            <translation>把每个请求的消息和回答写入请求日志。关闭 = 只记录大小和耗时。</translation>
        </message>
        <message>
            <source>Connect timeout</source>
            <translation>连接超时</translation>
        </message>
        <message>
            <source>How long to wait for a remote engine to accept the connection.</source>
            <translation>等待远程引擎接受连接的最长时间。</translation>
        </message>
        <message>
            <source>s</source>
            <translation>秒</translation>
        </message>
        <message>
            <source>Stall timeout</source>
            <translation>停滞超时</translation>
        </message>
        <message>
            <source>A remote answer that sends nothing for this long is stopped (what arrived is kept). An endpoint's own timeout wins.</source>
            <translation>远程回答若这么久没有任何内容就会被停止（已收到的内容会保留）。端点自己的超时设置优先。</translation>
        </message>
        <message>
            <source>Remote context size</source>
            <translation>远程上下文大小</translation>
        </message>
        <message>
            <source>The context size assumed for a remote model when its server does not say it and the endpoint sets none.</source>
            <translation>当服务器未说明且端点未设置时，为远程模型假定的上下文大小。</translation>
        </message>
        <message>
            <source>auto</source>
            <translation>自动</translation>
        </message>
        <message>
            <source>chatml</source>
            <translation>chatml</translation>
        </message>
        <message>
            <source>llama-2</source>
            <translation>llama-2</translation>
        </message>
        <message>
            <source>llama-3</source>
            <translation>llama-3</translation>
        </message>
        <message>
            <source>gemma</source>
            <translation>gemma</translation>
        </message>
        <message>
            <source>mistral-instruct</source>
            <translation>mistral-instruct</translation>
        </message>
        <message>
            <source>phi-3</source>
            <translation>phi-3</translation>
        </message>
        <message>
            <source>qwen</source>
            <translation>qwen</translation>
        </message>
        <message>
            <source>zephyr</source>
            <translation>zephyr</translation>
        </message>
        <message>
            <source>alpaca</source>
            <translation>alpaca</translation>
        </message>
        <message>
            <source>vicuna</source>
            <translation>vicuna</translation>
        </message>
        <message>
            <source>custom</source>
            <translation>自定义</translation>
        </message>
        <message>
            <source>Custom chat template</source>
            <translation>自定义聊天模板</translation>
        </message>
        <message>
            <source>A Jinja chat template, used when the chat format is 'custom'.</source>
            <translation>Jinja 聊天模板，在聊天格式为“自定义”时使用。</translation>
        </message>
        <message>
            <source>Thinking</source>
            <translation>思考</translation>
        </message>
        <message>
            <source>For models that think before they answer (Qwen3, DeepSeek-R1, gpt-oss): auto leaves it to the model, on and off switch it where the model's template allows.</source>
            <translation>适用于回答前会先思考的模型（Qwen3、DeepSeek-R1、gpt-oss）：自动表示由模型决定；开启和关闭会在模型模板支持时切换思考。</translation>
        </message>
        <message>
            <source>on</source>
            <translation>开启</translation>
        </message>
        <message>
            <source>Theme</source>
            <translation>主题</translation>
        </message>
        <message>
            <source>Follow the system's light or dark mode, or pick one.</source>
            <translation>跟随系统的浅色或深色模式，或手动选择一种。</translation>
        </message>
        <message>
            <source>system</source>
            <translation>跟随系统</translation>
        </message>
        <message>
            <source>light</source>
            <translation>浅色</translation>
        </message>
        <message>
            <source>dark</source>
            <translation>深色</translation>
        </message>
        <message>
            <source>Font size</source>
            <translation>字号</translation>
        </message>
        <message>
            <source>Text size in the chat.</source>
            <translation>聊天中文字的大小。</translation>
        </message>
        <message>
            <source>pt</source>
            <translation>pt</translation>
        </message>
        <message>
            <source>Chat width</source>
            <translation>聊天栏宽度</translation>
        </message>
        <message>
            <source>Widest the conversation column grows on large windows.</source>
            <translation>大窗口中对话栏的最大宽度。</translation>
        </message>
        <message>
            <source>px</source>
            <translation>px</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>语言</translation>
        </message>
        <message>
            <source>Language of the interface. Takes effect after a restart.</source>
            <translation>界面语言。重启后生效。</translation>
        </message>
        <message>
            <source>en</source>
            <translation>English</translation>
        </message>
        <message>
            <source>zh_CN</source>
            <translation>简体中文</translation>
        </message>
        <message>
            <source>Current model</source>
            <translation>当前模型</translation>
        </message>
        <message>
            <source>Path of the model loaded at start. Empty = none.</source>
            <translation>启动时加载的模型路径。留空 = 不加载。</translation>
        </message>
        <message>
            <source>When the conversation is too long</source>
            <translation>对话过长时</translation>
        </message>
        <message>
            <source>Drop the oldest turns automatically, or ask first.</source>
            <translation>自动删除最早的几轮对话，或先询问你。</translation>
        </message>
        <message>
            <source>drop_oldest</source>
            <translation>删除最早的轮次</translation>
        </message>
        <message>
            <source>ask</source>
            <translation>先询问我</translation>
        </message>
        <message>
            <source>Last profile</source>
            <translation>上次使用的配置</translation>
        </message>
        <message>
            <source>The settings profile chosen last.</source>
            <translation>上次选择的设置配置。</translation>
        </message>
    </context>
    <context>
        <name>ShortcutsPage</name>
        <message>
            <source>Keys</source>
            <translation>按键</translation>
        </message>
        <message>
            <source>Action</source>
            <translation>操作</translation>
        </message>
        <message>
            <source>Ctrl+N</source>
            <translation>Ctrl+N</translation>
        </message>
        <message>
            <source>New chat</source>
            <translation>新对话</translation>
        </message>
        <message>
            <source>Ctrl+K</source>
            <translation>Ctrl+K</translation>
        </message>
        <message>
            <source>Search all conversations</source>
            <translation>搜索全部对话</translation>
        </message>
        <message>
            <source>Enter</source>
            <translation>Enter</translation>
        </message>
        <message>
            <source>Send</source>
            <translation>发送</translation>
        </message>
        <message>
            <source>Shift+Enter</source>
            <translation>Shift+Enter</translation>
        </message>
        <message>
            <source>New line in the message</source>
            <translation>在消息中换行</translation>
        </message>
        <message>
            <source>Esc</source>
            <translation>Esc</translation>
        </message>
        <message>
            <source>Stop the answer</source>
            <translation>停止回答</translation>
        </message>
        <message>
            <source>Ctrl+1 / Ctrl+2 / Ctrl+3 / Ctrl+4</source>
            <translation>Ctrl+1 / Ctrl+2 / Ctrl+3 / Ctrl+4</translation>
        </message>
        <message>
            <source>Chat / Models / Knowledge / Settings</source>
            <translation>聊天 / 模型 / 知识库 / 设置</translation>
        </message>
        <message>
            <source>Ctrl+,</source>
            <translation>Ctrl+,</translation>
        </message>
        <message>
            <source>Settings</source>
            <translation>设置</translation>
        </message>
        <message>
            <source>F11</source>
            <translation>F11</translation>
        </message>
        <message>
            <source>Kiosk view on / off</source>
            <translation>开启 / 关闭展台模式</translation>
        </message>
        <message>
            <source>F2</source>
            <translation>F2</translation>
        </message>
        <message>
            <source>Rename the selected conversation</source>
            <translation>重命名所选对话</translation>
        </message>
    </context>
    <context>
        <name>StopEditor</name>
        <message>
            <source>One per line, or separated by commas</source>
            <translation>每行一个，或用逗号分隔</translation>
        </message>
    </context>
    <context>
        <name>ThinkingBlock</name>
        <message>
            <source>Thinking… {n} s</source>
            <translation>思考中… {n} 秒</translation>
        </message>
        <message>
            <source>Thought for {n} s</source>
            <translation>已思考 {n} 秒</translation>
        </message>
        <message>
            <source>Thoughts</source>
            <translation>思考过程</translation>
        </message>
        <message>
            <source>Hide the model's reasoning</source>
            <translation>隐藏模型的思考过程</translation>
        </message>
        <message>
            <source>Show what the model thought before answering</source>
            <translation>查看模型回答前的思考过程</translation>
        </message>
    </context>
    <context>
        <name>ToolApproval</name>
        <message>
            <source>The model wants to run the tool {0} on {1}.</source>
            <translation>模型想在 {1} 上运行工具 {0}。</translation>
        </message>
        <message>
            <source>The model wants to run the tool {0}.</source>
            <translation>模型想运行工具 {0}。</translation>
        </message>
        <message>
            <source>With: {0}</source>
            <translation>参数：{0}</translation>
        </message>
        <message>
            <source>Allow once</source>
            <translation>允许一次</translation>
        </message>
        <message>
            <source>Always for this tool</source>
            <translation>始终允许此工具</translation>
        </message>
        <message>
            <source>Deny</source>
            <translation>拒绝</translation>
        </message>
    </context>
    <context>
        <name>ToolCard</name>
        <message>
            <source>Arguments: {0}</source>
            <translation>参数：{0}</translation>
        </message>
        <message>
            <source>Used {0} · {1:.1f} s</source>
            <translation>已使用 {0} · {1:.1f} 秒</translation>
        </message>
        <message>
            <source>{0} failed · {1:.1f} s</source>
            <translation>{0} 失败 · {1:.1f} 秒</translation>
        </message>
        <message>
            <source>{0} timed out · {1:.1f} s</source>
            <translation>{0} 超时 · {1:.1f} 秒</translation>
        </message>
        <message>
            <source>{0} was not allowed</source>
            <translation>{0} 未获允许</translation>
        </message>
        <message>
            <source>{0} was stopped</source>
            <translation>{0} 已停止</translation>
        </message>
        <message>
            <source>Hide the call</source>
            <translation>隐藏此次调用</translation>
        </message>
        <message>
            <source>Show the arguments and the result</source>
            <translation>显示参数和结果</translation>
        </message>
    </context>
    <context>
        <name>ToolsPage</name>
        <message>
            <source>Tools let the model look things up or act during an answer. Every call asks you first (Allow once, Always for this tool, or Deny). Nothing reaches the network unless you add an MCP server that does.</source>
            <translation>工具让模型在回答时查询信息或执行操作。每次调用都会先征求你的同意（允许一次、始终允许此工具或拒绝）。除非你添加了会联网的 MCP 服务器，否则不会有任何内容发送到网络。</translation>
        </message>
        <message>
            <source>Built-in tools (local only)</source>
            <translation>内置工具（仅在本机）</translation>
        </message>
        <message>
            <source>Date and time</source>
            <translation>日期和时间</translation>
        </message>
        <message>
            <source>Calculator</source>
            <translation>计算器</translation>
        </message>
        <message>
            <source>Knowledge base search</source>
            <translation>知识库搜索</translation>
        </message>
        <message>
            <source>Tool calls per answer, at most</source>
            <translation>每个回答最多调用工具次数</translation>
        </message>
        <message>
            <source>MCP servers</source>
            <translation>MCP 服务器</translation>
        </message>
        <message>
            <source>Add server</source>
            <translation>添加服务器</translation>
        </message>
        <message>
            <source>Import mcp.json…</source>
            <translation>导入 mcp.json…</translation>
        </message>
        <message>
            <source> s</source>
            <translation> 秒</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <source>Command (stdio)</source>
            <translation>命令（stdio）</translation>
        </message>
        <message>
            <source>or URL (Streamable HTTP)</source>
            <translation>或 URL（Streamable HTTP）</translation>
        </message>
        <message>
            <source>Timeout per call</source>
            <translation>每次调用超时</translation>
        </message>
        <message>
            <source>Save server</source>
            <translation>保存服务器</translation>
        </message>
        <message>
            <source>Start and list tools</source>
            <translation>启动并列出工具</translation>
        </message>
        <message>
            <source>The tools could not be saved: {0}</source>
            <translation>无法保存工具设置：{0}</translation>
        </message>
        <message>
            <source>Give the server a name and a command or a URL.</source>
            <translation>请为服务器填写名称，以及命令或 URL。</translation>
        </message>
        <message>
            <source>The command has an unclosed quote.</source>
            <translation>命令中有未闭合的引号。</translation>
        </message>
        <message>
            <source>Saved.</source>
            <translation>已保存。</translation>
        </message>
        <message>
            <source>Import mcp.json</source>
            <translation>导入 mcp.json</translation>
        </message>
        <message>
            <source>JSON files (*.json)</source>
            <translation>JSON 文件 (*.json)</translation>
        </message>
        <message>
            <source>{0} could not be read: {1}</source>
            <translation>无法读取 {0}：{1}</translation>
        </message>
        <message>
            <source>Imported: {0}</source>
            <translation>已导入：{0}</translation>
        </message>
        <message>
            <source>Starting {0}…</source>
            <translation>正在启动 {0}…</translation>
        </message>
        <message>
            <source>{0} tools; the ticked ones are offered to the model.</source>
            <translation>共 {0} 个工具；勾选的工具会提供给模型。</translation>
        </message>
    </context>
    <context>
        <name>Transcript</name>
        <message>
            <source>Show earlier messages</source>
            <translation>显示更早的消息</translation>
        </message>
        <message>
            <source>Reading sources… {seconds} s</source>
            <translation>正在读取来源… {seconds} 秒</translation>
        </message>
        <message>
            <source>Waiting for the first token… {seconds} s</source>
            <translation>正在等待第一个词元… {seconds} 秒</translation>
        </message>
    </context>
    <context>
        <name>UndoStrip</name>
        <message>
            <source>Conversation deleted</source>
            <translation>对话已删除</translation>
        </message>
        <message>
            <source>Undo</source>
            <translation>撤销</translation>
        </message>
        <message>
            <source>“{title}” deleted</source>
            <translation>已删除“{title}”</translation>
        </message>
    </context>
    <context>
        <name>Welcome</name>
        <message>
            <source>Desktop Chat</source>
            <translation>桌面聊天</translation>
        </message>
        <message>
            <source>New chat</source>
            <translation>新对话</translation>
        </message>
        <message>
            <source>&lt;p&gt;{model} runs on the engine “{name}”: what you type is sent there.&lt;/p&gt;</source>
            <translation>&lt;p&gt;{model} 运行在引擎“{name}”上：你输入的内容会发送到那里。&lt;/p&gt;</translation>
        </message>
        <message>
            <source>&lt;p&gt;{model} runs on this computer. Nothing you type leaves it.&lt;/p&gt;</source>
            <translation>&lt;p&gt;{model} 在这台电脑上运行。你输入的任何内容都不会离开本机。&lt;/p&gt;</translation>
        </message>
        <message>
            <source>What can I help with?</source>
            <translation>有什么可以帮你的？</translation>
        </message>
    </context>
    <context>
        <name>WelcomeDialog</name>
        <message>
            <source>Welcome to Desktop Chat</source>
            <translation>欢迎使用桌面聊天</translation>
        </message>
        <message>
            <source>Everything stays on this computer: your conversations, your models and your documents. It works without the internet; only downloading a model goes online.</source>
            <translation>所有内容都留在这台电脑上：你的对话、模型和文档。无需联网即可使用；只有下载模型时才会联网。</translation>
        </message>
        <message>
            <source>Start chatting</source>
            <translation>开始聊天</translation>
        </message>
        <message>
            <source>Chat now with the model that comes with the app ({name}).</source>
            <translation>现在就用应用自带的模型（{name}）聊天。</translation>
        </message>
        <message>
            <source>Chat now with the model you pick in Models.</source>
            <translation>用你在“模型”中选择的模型开始聊天。</translation>
        </message>
        <message>
            <source>Get a better model</source>
            <translation>获取更好的模型</translation>
        </message>
        <message>
            <source>Recommended for this computer: {name}, a {size:.1f} GB download that fits in its free memory.</source>
            <translation>推荐给这台电脑：{name}，需下载 {size:.1f} GB，可以放入空闲内存。</translation>
        </message>
        <message>
            <source>Import a GGUF model</source>
            <translation>导入 GGUF 模型</translation>
        </message>
        <message>
            <source>Use a .gguf model file you already have.</source>
            <translation>使用你已有的 .gguf 模型文件。</translation>
        </message>
        <message>
            <source>Try the customer-service demo</source>
            <translation>试用客服演示</translation>
        </message>
        <message>
            <source>A shop assistant that answers from a sample knowledge base.</source>
            <translation>一个根据示例知识库回答问题的店铺客服。</translation>
        </message>
        <message>
            <source>You can show this again from Settings › Privacy and data.</source>
            <translation>你可以在“设置 › 隐私与数据”中再次显示此页。</translation>
        </message>
    </context>
    <context>
        <name>markdown</name>
        <message>
            <source>image</source>
            <translation>图片</translation>
        </message>
        <message>
            <source>[Image: {name}]</source>
            <translation>[图片：{name}]</translation>
        </message>
        <message>
            <source>Copy</source>
            <translation>复制</translation>
        </message>
    </context>
    <context>
        <name>settings</name>
        <message>
            <source>Same as the system</source>
            <translation>跟随系统</translation>
        </message>
        <message>
            <source>Light</source>
            <translation>浅色</translation>
        </message>
        <message>
            <source>Dark</source>
            <translation>深色</translation>
        </message>
        <message>
            <source>Drop the oldest turns</source>
            <translation>删除最早的轮次</translation>
        </message>
        <message>
            <source>Ask me first</source>
            <translation>先询问我</translation>
        </message>
        <message>
            <source>f16 (full quality)</source>
            <translation>f16（完整质量）</translation>
        </message>
        <message>
            <source>q8_0 (half the memory)</source>
            <translation>q8_0（一半内存）</translation>
        </message>
        <message>
            <source>q4_0 (a quarter of the memory)</source>
            <translation>q4_0（四分之一内存）</translation>
        </message>
        <message>
            <source>Prompt lookup</source>
            <translation>提示查找</translation>
        </message>
        <message>
            <source>Draft model</source>
            <translation>草稿模型</translation>
        </message>
        <message>
            <source>Off</source>
            <translation>关闭</translation>
        </message>
        <message>
            <source>Context length</source>
            <translation>上下文长度</translation>
        </message>
        <message>
            <source>How many tokens the model sees at once: system prompt, history and answer. 0 = auto: 4096, or the model's trained maximum if that is smaller. Longer contexts use more memory.</source>
            <translation>模型一次能看到的词元数，包括系统提示词、历史记录和回答。0 = 自动：4096，若模型训练时的上限更小则取该上限。上下文越长，占用内存越多。</translation>
        </message>
        <message>
            <source>tokens</source>
            <translation>词元</translation>
        </message>
        <message>
            <source>Auto</source>
            <translation>自动</translation>
        </message>
        <message>
            <source>GPU layers</source>
            <translation>GPU 层数</translation>
        </message>
        <message>
            <source>Model layers to run on the GPU. 0 = CPU only; -1 = Auto: as many as fit in free video memory.</source>
            <translation>在 GPU 上运行的模型层数。0 = 仅用 CPU；-1 = 自动：空闲显存能容纳多少就放多少。</translation>
        </message>
        <message>
            <source>layers</source>
            <translation>层</translation>
        </message>
        <message>
            <source>CPU threads</source>
            <translation>CPU 线程数</translation>
        </message>
        <message>
            <source>Threads used for generation. 0 = one per physical core.</source>
            <translation>用于生成的线程数。0 = 每个物理核心一个线程。</translation>
        </message>
        <message>
            <source>threads</source>
            <translation>线程</translation>
        </message>
        <message>
            <source>Physical cores</source>
            <translation>物理核心数</translation>
        </message>
        <message>
            <source>Prompt batch size</source>
            <translation>提示词批大小</translation>
        </message>
        <message>
            <source>Tokens evaluated per step while reading the prompt. Larger is faster on a GPU and uses more memory.</source>
            <translation>读取提示词时每一步处理的词元数。数值越大，在 GPU 上越快，但占用内存越多。</translation>
        </message>
        <message>
            <source>Flash attention</source>
            <translation>Flash Attention</translation>
        </message>
        <message>
            <source>A faster, leaner attention kernel. Turn off only if a model misbehaves with it.</source>
            <translation>更快、更省内存的注意力计算内核。仅当某个模型开启后表现异常时才关闭。</translation>
        </message>
        <message>
            <source>Memory-map the model file</source>
            <translation>内存映射模型文件</translation>
        </message>
        <message>
            <source>Load the model lazily from disk, sharing pages with the file cache.</source>
            <translation>按需从磁盘加载模型，与文件缓存共享内存页。</translation>
        </message>
        <message>
            <source>Lock the model in RAM</source>
            <translation>将模型锁定在内存中</translation>
        </message>
        <message>
            <source>Keep the model from being swapped out. Needs enough free RAM.</source>
            <translation>防止模型被换出到磁盘。需要足够的空闲内存。</translation>
        </message>
        <message>
            <source>KV cache precision</source>
            <translation>KV 缓存精度</translation>
        </message>
        <message>
            <source>Quantizing the context cache (q8_0, q4_0) saves memory at a small cost in quality.</source>
            <translation>量化上下文缓存（q8_0、q4_0）可以节省内存，质量略有损失。</translation>
        </message>
        <message>
            <source>f16</source>
            <translation>f16</translation>
        </message>
        <message>
            <source>q8_0</source>
            <translation>q8_0</translation>
        </message>
        <message>
            <source>q4_0</source>
            <translation>q4_0</translation>
        </message>
        <message>
            <source>Speculative decoding</source>
            <translation>推测解码</translation>
        </message>
        <message>
            <source>Guess several tokens ahead from the prompt and check them in one step; it can be faster when the answer copies the prompt (grounded answers, corrections, translations). Auto leaves it off: on a 2-core test machine it measured slower. 'Draft model' needs a smaller model of the same family below.</source>
            <translation>根据提示预先猜测几个词元并一步验证；当回答照搬提示内容时（基于资料的回答、纠错、翻译）可能更快。“自动”保持关闭：在一台双核测试机上它测得更慢。“草稿模型”需要在下方指定同一系列中较小的模型。</translation>
        </message>
        <message>
            <source>prompt_lookup</source>
            <translation>提示词查找</translation>
        </message>
        <message>
            <source>draft_model</source>
            <translation>草稿模型</translation>
        </message>
        <message>
            <source>off</source>
            <translation>关闭</translation>
        </message>
        <message>
            <source>Path of a smaller GGUF of the same family, used when speculative decoding is 'draft model'. Empty = none.</source>
            <translation>同一系列中较小的 GGUF 模型的路径，在推测解码设为“草稿模型”时使用。留空 = 不使用。</translation>
        </message>
        <message>
            <source>Saved chat states</source>
            <translation>已保存的对话状态</translation>
        </message>
        <message>
            <source>Memory kept for the model states of recent chats, so going back to one does not re-read its history. 0 = keep none.</source>
            <translation>为最近对话的模型状态保留的内存，这样回到某个对话时无需重新读取其历史。0 = 不保留。</translation>
        </message>
        <message>
            <source>MB</source>
            <translation>MB</translation>
        </message>
        <message>
            <source>Temperature</source>
            <translation>温度</translation>
        </message>
        <message>
            <source>Randomness of the answer: 0 always picks the likeliest token, higher is more varied.</source>
            <translation>回答的随机程度：0 总是选择最可能的词元，数值越高回答越多样。</translation>
        </message>
        <message>
            <source>Top P</source>
            <translation>Top P</translation>
        </message>
        <message>
            <source>Sample only from the likeliest tokens whose probabilities add up to this.</source>
            <translation>只从累计概率达到该值的最可能词元中采样。</translation>
        </message>
        <message>
            <source>Top K</source>
            <translation>Top K</translation>
        </message>
        <message>
            <source>Sample only from this many likeliest tokens. 0 = no limit.</source>
            <translation>只从这么多个最可能的词元中采样。0 = 不限。</translation>
        </message>
        <message>
            <source>No limit</source>
            <translation>不限</translation>
        </message>
        <message>
            <source>Min P</source>
            <translation>Min P</translation>
        </message>
        <message>
            <source>Drop tokens less likely than this fraction of the likeliest one.</source>
            <translation>舍弃概率低于最可能词元概率的这一比例的词元。</translation>
        </message>
        <message>
            <source>Repeat penalty</source>
            <translation>重复惩罚</translation>
        </message>
        <message>
            <source>Discourage repeating recent tokens. 1 = no penalty.</source>
            <translation>抑制重复最近出现过的词元。1 = 不惩罚。</translation>
        </message>
        <message>
            <source>Maximum answer length</source>
            <translation>回答最大长度</translation>
        </message>
        <message>
            <source>The answer stops after this many tokens.</source>
            <translation>回答达到这么多词元后停止。</translation>
        </message>
        <message>
            <source>Seed</source>
            <translation>随机种子</translation>
        </message>
        <message>
            <source>-1 = random each time; any other number makes answers repeatable.</source>
            <translation>-1 = 每次随机；填其他任意数字可让回答可复现。</translation>
        </message>
        <message>
            <source>Random</source>
            <translation>随机</translation>
        </message>
        <message>
            <source>Stop sequences</source>
            <translation>停止序列</translation>
        </message>
        <message>
            <source>The answer ends when the model writes one of these strings.</source>
            <translation>模型输出其中任意一个字符串时，回答即结束。</translation>
        </message>
        <message>
            <source>System prompt</source>
            <translation>系统提示词</translation>
        </message>
        <message>
            <source>Instructions given to the model before every conversation.</source>
            <translation>每次对话开始前发给模型的指示。</translation>
        </message>
        <message>
            <source>Chat format</source>
            <translation>聊天格式</translation>
        </message>
        <message>
            <source>How messages are laid out for the model. Auto uses the template in the model file, else one chosen from its architecture.</source>
            <translation>消息以何种格式交给模型。“自动”使用模型文件中的模板，没有模板时按模型架构选择。</translation>
        </message>
        <message>
            <source>Serve an OpenAI-compatible API</source>
            <translation>提供 OpenAI 兼容 API</translation>
        </message>
        <message>
            <source>Let other programs on this computer use the loaded model through an OpenAI-compatible HTTP API.</source>
            <translation>让本机上的其他程序通过 OpenAI 兼容的 HTTP API 使用已加载的模型。</translation>
        </message>
        <message>
            <source>Listen address</source>
            <translation>监听地址</translation>
        </message>
        <message>
            <source>127.0.0.1 = this computer only. Any other address makes the API reachable from other machines and needs an API key.</source>
            <translation>127.0.0.1 = 仅本机。任何其他地址都会让其他计算机访问到 API，并且需要 API 密钥。</translation>
        </message>
        <message>
            <source>Port</source>
            <translation>端口</translation>
        </message>
        <message>
            <source>The TCP port of the API.</source>
            <translation>API 的 TCP 端口。</translation>
        </message>
        <message>
            <source>API key</source>
            <translation>API 密钥</translation>
        </message>
        <message>
            <source>Clients send it as 'Authorization: Bearer &lt;key&gt;'. Empty = no key (this computer only).</source>
            <translation>客户端以“Authorization: Bearer &lt;密钥&gt;”发送。留空 = 无密钥（仅限本机）。</translation>
        </message>
        <message>
            <source>Allowed web origins (CORS)</source>
            <translation>允许的网页来源（CORS）</translation>
        </message>
        <message>
            <source>Web pages allowed to call the API from a browser, e.g. http://localhost:3000. Empty = none.</source>
            <translation>允许在浏览器中调用 API 的网页，例如 http://localhost:3000。留空 = 不允许。</translation>
        </message>
        <message>
            <source>Request queue</source>
            <translation>请求队列</translation>
        </message>
        <message>
            <source>Server requests waiting for or using the model at once; more are refused with 429.</source>
            <translation>同时等待或正在使用模型的服务器请求数；超出的请求以 429 拒绝。</translation>
        </message>
        <message>
            <source>requests</source>
            <translation>个请求</translation>
        </message>
        <message>
            <source>Largest request</source>
            <translation>最大请求</translation>
        </message>
        <message>
            <source>Bigger request bodies are refused with 413.</source>
            <translation>更大的请求体会以 413 拒绝。</translation>
        </message>
        <message>
            <source>KB</source>
            <translation>KB</translation>
        </message>
        <message>
            <source>Log message text</source>
            <translation>记录消息文本</translation>
        </message>
        <message>
            <source>Write the messages and answers of each request to the request log. Off = only sizes and timings.</source>
            <translation>把每个请求的消息和回答写入请求日志。关闭 = 只记录大小和耗时。</translation>
        </message>
        <message>
            <source>Connect timeout</source>
            <translation>连接超时</translation>
        </message>
        <message>
            <source>How long to wait for a remote engine to accept the connection.</source>
            <translation>等待远程引擎接受连接的最长时间。</translation>
        </message>
        <message>
            <source>s</source>
            <translation>秒</translation>
        </message>
        <message>
            <source>Stall timeout</source>
            <translation>停滞超时</translation>
        </message>
        <message>
            <source>A remote answer that sends nothing for this long is stopped (what arrived is kept). An endpoint's own timeout wins.</source>
            <translation>远程回答若这么久没有任何内容就会被停止（已收到的内容会保留）。端点自己的超时设置优先。</translation>
        </message>
        <message>
            <source>Remote context size</source>
            <translation>远程上下文大小</translation>
        </message>
        <message>
            <source>The context size assumed for a remote model when its server does not say it and the endpoint sets none.</source>
            <translation>当服务器未说明且端点未设置时，为远程模型假定的上下文大小。</translation>
        </message>
        <message>
            <source>auto</source>
            <translation>自动</translation>
        </message>
        <message>
            <source>chatml</source>
            <translation>chatml</translation>
        </message>
        <message>
            <source>llama-2</source>
            <translation>llama-2</translation>
        </message>
        <message>
            <source>llama-3</source>
            <translation>llama-3</translation>
        </message>
        <message>
            <source>gemma</source>
            <translation>gemma</translation>
        </message>
        <message>
            <source>mistral-instruct</source>
            <translation>mistral-instruct</translation>
        </message>
        <message>
            <source>phi-3</source>
            <translation>phi-3</translation>
        </message>
        <message>
            <source>qwen</source>
            <translation>qwen</translation>
        </message>
        <message>
            <source>zephyr</source>
            <translation>zephyr</translation>
        </message>
        <message>
            <source>alpaca</source>
            <translation>alpaca</translation>
        </message>
        <message>
            <source>vicuna</source>
            <translation>vicuna</translation>
        </message>
        <message>
            <source>custom</source>
            <translation>自定义</translation>
        </message>
        <message>
            <source>Custom chat template</source>
            <translation>自定义聊天模板</translation>
        </message>
        <message>
            <source>A Jinja chat template, used when the chat format is 'custom'.</source>
            <translation>Jinja 聊天模板，在聊天格式为“自定义”时使用。</translation>
        </message>
        <message>
            <source>Thinking</source>
            <translation>思考</translation>
        </message>
        <message>
            <source>For models that think before they answer (Qwen3, DeepSeek-R1, gpt-oss): auto leaves it to the model, on and off switch it where the model's template allows.</source>
            <translation>适用于回答前会先思考的模型（Qwen3、DeepSeek-R1、gpt-oss）：自动表示由模型决定；开启和关闭会在模型模板支持时切换思考。</translation>
        </message>
        <message>
            <source>on</source>
            <translation>开启</translation>
        </message>
        <message>
            <source>Theme</source>
            <translation>主题</translation>
        </message>
        <message>
            <source>Follow the system's light or dark mode, or pick one.</source>
            <translation>跟随系统的浅色或深色模式，或手动选择一种。</translation>
        </message>
        <message>
            <source>system</source>
            <translation>跟随系统</translation>
        </message>
        <message>
            <source>light</source>
            <translation>浅色</translation>
        </message>
        <message>
            <source>dark</source>
            <translation>深色</translation>
        </message>
        <message>
            <source>Font size</source>
            <translation>字号</translation>
        </message>
        <message>
            <source>Text size in the chat.</source>
            <translation>聊天中文字的大小。</translation>
        </message>
        <message>
            <source>pt</source>
            <translation>pt</translation>
        </message>
        <message>
            <source>Chat width</source>
            <translation>聊天栏宽度</translation>
        </message>
        <message>
            <source>Widest the conversation column grows on large windows.</source>
            <translation>大窗口中对话栏的最大宽度。</translation>
        </message>
        <message>
            <source>px</source>
            <translation>px</translation>
        </message>
        <message>
            <source>Kiosk idle reset</source>
            <translation>自助模式空闲重置</translation>
        </message>
        <message>
            <source>In kiosk view, start a fresh conversation after this many idle minutes (0: never).</source>
            <translation>在自助模式下，空闲这么多分钟后开始新的对话（0：从不）。</translation>
        </message>
        <message>
            <source>min</source>
            <translation>分钟</translation>
        </message>
        <message>
            <source>Kiosk PIN</source>
            <translation>自助模式 PIN</translation>
        </message>
        <message>
            <source>Asked before kiosk view can be left (F11). Empty: not asked.</source>
            <translation>离开自助模式（F11）前需要输入。留空：不询问。</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>语言</translation>
        </message>
        <message>
            <source>Language of the interface. Takes effect after a restart.</source>
            <translation>界面语言。重启后生效。</translation>
        </message>
        <message>
            <source>en</source>
            <translation>English</translation>
        </message>
        <message>
            <source>zh_CN</source>
            <translation>简体中文</translation>
        </message>
        <message>
            <source>Current model</source>
            <translation>当前模型</translation>
        </message>
        <message>
            <source>Path of the model loaded at start. Empty = none.</source>
            <translation>启动时加载的模型路径。留空 = 不加载。</translation>
        </message>
        <message>
            <source>When the conversation is too long</source>
            <translation>对话过长时</translation>
        </message>
        <message>
            <source>Drop the oldest turns automatically, or ask first.</source>
            <translation>自动删除最早的几轮对话，或先询问你。</translation>
        </message>
        <message>
            <source>drop_oldest</source>
            <translation>删除最早的轮次</translation>
        </message>
        <message>
            <source>ask</source>
            <translation>先询问我</translation>
        </message>
        <message>
            <source>Last profile</source>
            <translation>上次使用的配置</translation>
        </message>
        <message>
            <source>The settings profile chosen last.</source>
            <translation>上次选择的设置配置。</translation>
        </message>
    </context>
</TS>
